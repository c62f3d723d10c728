"""Periodic reports over HTTP on the real broker: the list a unit owes, the period chosen from it."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.intake.web.reads import today
from shared import topics
from tests.support import ADMIN_TOKEN, eventually, read_topic, wire
from tests.support.intake import replica_events as ev
from tests.support.intake import scenarios as s
from tests.support.intake.pages import browser, first_sign_in

WARD, OTHER = "11407", "10537"


def _form(page: str, **fields: str) -> dict[str, str]:
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    return {**hidden, **fields}


def test_a_ward_sends_the_periodic_report_it_owes(broker: str, database_url: str) -> None:
    ward = s.cli(
        database_url, "people", "add", "--username", "hoa.nguyen", "--name", "Nguyễn Thị Hoa", "--unit", WARD
    )
    other = s.cli(
        database_url, "people", "add", "--username", "binh.le", "--name", "Lê Văn Bình", "--unit", OTHER
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)
    day = today()

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            await ev.publish(
                broker,
                ev.assigned("a-1", WARD),
                ev.expected(WARD, "2026-S1", day - timedelta(days=5)),
                ev.expected(WARD, "2026-Y", day + timedelta(days=20)),
            )
            async with browser(app) as officer, browser(app) as stranger:
                await first_sign_in(officer, "hoa.nguyen", ward)
                await first_sign_in(stranger, "binh.le", other)
                await _the_list_says_what_is_late_and_what_is_due(officer)
                await _a_report_is_sent_for_a_chosen_period(officer, broker)
                path = f"/workspace/reports/{ev.PLAN_ID}/2026-S1?unit={WARD}"
                assert (await stranger.get(path)).status_code == 403

    asyncio.run(scenario())


async def _the_list_says_what_is_late_and_what_is_due(client: httpx.AsyncClient) -> None:
    async def listed() -> str | None:
        html = (await client.get("/workspace/reports")).text
        return html if html.count("data-period=") == 2 else None

    html = await eventually(listed, timeout=90, what="two reports owed in the replica")
    rows = re.findall(r'data-period="([^"]+)" data-state="([^"]+)"', html)
    assert rows == [("2026-S1", "overdue"), ("2026-Y", "due")]
    assert "Báo cáo 6 tháng đầu năm 2026" in html and "15/12/2025 – 14/06/2026" in html


async def _a_report_is_sent_for_a_chosen_period(client: httpx.AsyncClient, broker: str) -> None:
    path = f"/workspace/reports/{ev.PLAN_ID}/2026-S1?unit={WARD}"
    page = (await client.get(path)).text
    other_tab = (await client.get(path)).text  # the same page open in a second tab
    assert '<option value="2026-S1" selected>' in page and '<option value="2026-Y">' in page
    target = f"/workspace/reports/{ev.PLAN_ID}?unit={WARD}"
    empty = await client.post(target, data=_form(page, period="2026-S1", narrative=""))
    assert empty.status_code == 422 and "Hãy ghi tình hình thực hiện trong kỳ." in empty.text
    typed = await client.post(target, data=_form(page, period="2099-Q1", narrative="Đã triển khai"))
    assert typed.status_code == 422 and "Hãy chọn một kỳ báo cáo trong danh sách." in typed.text
    sent = await client.post(target, data=_form(page, period="2026-S1", narrative="Đã triển khai đầy đủ"))
    assert sent.status_code == 303 and sent.headers["location"].endswith("&sent=1")
    shown = (await client.get(sent.headers["location"])).text
    assert "Đã gửi phiên bản 1." in shown and "Nguyễn Thị Hoa (hoa.nguyen)" in shown
    stale = await client.post(target, data=_form(other_tab, period="2026-S1", narrative="Bản cũ"))
    assert stale.status_code == 409 and "vừa được người khác gửi (phiên bản 1)" in stale.text
    [event] = await read_topic(broker, topics.REPORT_SUBMITTED, expect=1, timeout=90)
    assert event.data["period_id"] == "2026-S1" and wire(event)["submitted_by"]["username"] == "hoa.nguyen"
    listed = (await client.get("/workspace/reports")).text
    assert re.findall(r'data-period="([^"]+)" data-state="([^"]+)"', listed)[0] == ("2026-S1", "sent")

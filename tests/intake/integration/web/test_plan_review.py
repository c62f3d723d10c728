"""A plan document reviewed in the workspace: flags block confirming until fixed or checked, split, drop,
calendar, and a later revision is one plan's version 2 (HTTP on the real app, broker and stores)."""

from __future__ import annotations

import asyncio
import re

import httpx

from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared import topics
from tests.support import ADMIN_TOKEN, read_topic, wire
from tests.support.intake import plan_documents as docs
from tests.support.intake import scenarios as s
from tests.support.intake.pages import audit, browser, csrf, first_sign_in

SPLIT = "Rà soát văn bản quy phạm pháp luật\nTổ chức tập huấn nghiệp vụ cho cán bộ"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fields(page: str) -> dict[str, str]:
    """What the browser would post unchanged: every input's value, textarea's text, selected option."""
    found = dict(re.findall(r'<input (?:type="hidden" )?name="([a-z0-9_]+)" value="([^"]*)"', page))
    found |= dict(re.findall(r'<input id="[^"]+" name="([a-z0-9_]+)"[^>]* value="([^"]*)"', page))
    found |= dict(re.findall(r'<textarea id="[^"]+" name="([a-z0-9_]+)"[^>]*>([^<]*)</textarea>', page))
    for name in re.findall(r'<input type="checkbox" name="([a-z0-9_]+)" value="on" checked', page):
        found[name] = "on"
    return {k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&") for k, v in found.items()}


def _index(page: str, ref: str) -> int:
    found = re.search(rf'data-ref="{re.escape(ref)}" id="task-(\d+)"', page)
    assert found, f"task {ref} not on the page"
    return int(found.group(1))


async def _upload(client: httpx.AsyncClient, data: bytes) -> str:
    token = csrf((await client.get("/workspace/plans")).text)
    answer = await client.post(
        "/workspace/plans", data={"csrf": token}, files={"file": ("ke-hoach.docx", data, DOCX)}
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def test_the_city_reviews_its_plan_document_and_confirms_one_plan(broker: str, database_url: str) -> None:
    password = s.cli(
        database_url, "people", "add", "--username", "mai.pham", "--name", "Phạm Thị Mai", "--unit", "HP"
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            async with browser(app) as city:
                await first_sign_in(city, "mai.pham", password)
                path = await _upload(city, docs.city_plan())
                page = (await city.get(path)).text
                assert 'id="calendar-warning"' in page and "Còn 2 nhiệm vụ cần kiểm tra" in page
                assert docs.MERGED in page  # the source text beside the task

                # Confirming at once is refused: flags and the general clause, each said at its task.
                form = _fields(page) | {"do": "confirm"}
                refused = await city.post(path, data=form)
                assert refused.status_code == 422
                i1, i3 = _index(refused.text, "II.1"), _index(refused.text, "II.3")
                assert (
                    f'id="t{i1}_checked-error"' in refused.text
                    and f'id="t{i3}_checked-error"' in refused.text
                )
                assert (await audit(runtime, "plan.confirm"))[-1][2:] == ("refused", 422)

                # Fix II.3's lead from the directory, split II.2, drop II.4, keep the calendar offered.
                i2, i4 = _index(page, "II.2"), _index(page, "II.4")
                form = _fields(page) | {
                    f"t{i3}_lead": "Sở Tư pháp",
                    f"t{i2}_action": "split",
                    f"t{i2}_split": SPLIT,
                    f"t{i4}_action": "drop",
                    "do": "save",
                }
                saved = await city.post(path, data=form)
                assert saved.status_code == 303, saved.text
                page = (await city.get(path)).text
                assert "Còn 1 nhiệm vụ cần kiểm tra" in page  # II.3's flag went with the change
                assert 'data-ref="II.2.1"' in page and 'data-ref="II.4"' not in page
                assert 'id="calendar-warning"' not in page

                # II.1's timeframe is as written: the person marks it checked, and confirms.
                i1 = _index(page, "II.1")
                confirmed = await city.post(
                    path, data=_fields(page) | {f"t{i1}_checked": "on", "do": "confirm"}
                )
                assert confirmed.status_code == 303, confirmed.text
                assert (await audit(runtime, "plan.flag.checked")) == [
                    ("person:mai.pham", "HP", "accepted", 202)
                ]
                [event] = await read_topic(broker, topics.PLAN_RECEIVED, expect=1, timeout=60)
                assert event.data["version"] == 1
                assert [t["ref"] for t in wire(event)["tasks"]] == ["II.1", "II.2.1", "II.2.2", "II.3"]
                assert wire(event)["tasks"][3]["lead"][0]["unit"] == "HP.SO-TU-PHAP"
                assert wire(event)["reporting"][0]["recurrence"] == ["semiannual", "annual"]

                # A later change is the same plan's next version (tasks sends it as a change).
                page = (await city.get(path)).text
                i3 = _index(page, "II.3")
                form = _fields(page) | {f"t{i3}_time": "Trước ngày 30/11/2027", "do": "confirm"}
                assert (await city.post(path, data=form)).status_code == 303
                events = await read_topic(broker, topics.PLAN_RECEIVED, expect=2, timeout=60)
                assert [e.data["version"] for e in events] == [1, 2]
                assert events[1].data["plan_id"] == events[0].data["plan_id"]
                assert wire(events[1])["tasks"][3]["timeframe"]["due"] == "2027-11-30"

    asyncio.run(scenario())

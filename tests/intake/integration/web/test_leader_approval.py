"""A unit's leader approves results before they count upward, where the unit chose it (off by default)."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.intake.web.reads import today
from shared import topics
from tests.support import ADMIN_TOKEN, eventually, read_topic, wire
from tests.support.intake import replica_events as ev
from tests.support.intake import scenarios as s
from tests.support.intake.pages import audit, browser, csrf, first_sign_in

WARD, OFFICE = "11407", "11407.VP"


def _form(page: str, **fields: str) -> dict[str, str]:
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    return {**hidden, **fields}


async def _sent_up(runtime: Runtime) -> int:
    t = runtime.spec.tables.outbox
    async with runtime.engine.connect() as conn:
        query = select(func.count()).select_from(t).where(t.c.topic == topics.RESULT_SUBMITTED)
        return int((await conn.execute(query)).scalar_one())


def test_a_leader_approves_or_returns_an_officers_result_before_it_goes_up(
    broker: str, database_url: str
) -> None:
    officer_pw = s.cli(
        database_url,
        "people",
        "add",
        "--username",
        "hoa.nguyen",
        "--name",
        "Nguyễn Thị Hoa",
        "--unit",
        OFFICE,
    )
    leader_pw = s.cli(
        database_url,
        "people",
        "add",
        "--username",
        "lan.tran",
        "--name",
        "Trần Thị Lan",
        "--unit",
        WARD,
        "--role",
        "leader",
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            await ev.publish(broker, ev.assigned("a-1", OFFICE, due=today() + timedelta(days=5)))
            async with browser(app) as officer, browser(app) as leader:
                await first_sign_in(officer, "hoa.nguyen", officer_pw)
                await first_sign_in(leader, "lan.tran", leader_pw)
                seen = await officer.get("/workspace/approvals")  # read only: no choice, no decision
                assert seen.status_code == 200 and "data-read-only" in seen.text
                assert "/workspace/approvals/preference" not in seen.text
                page = (await leader.get("/workspace/approvals")).text
                assert 'data-approval="off"' in page  # off by default
                turned = await leader.post(
                    "/workspace/approvals/preference", data={"csrf": csrf(page), "approval": "on"}
                )
                assert turned.status_code == 303
                await eventually(lambda: _listed(officer), timeout=90, what="the assignment in the replica")
                await _propose(officer, "Văn bản số 1/UBND-VP")
                assert await _sent_up(runtime) == 0
                seen = await officer.get("/workspace/approvals")  # the officer sees it wait, may not decide
                [waiting] = re.findall(r'data-pending="([^"]+)"', seen.text)
                assert 'name="decision"' not in seen.text
                taken = await officer.post(
                    f"/workspace/approvals/{waiting}", data={"csrf": csrf(seen.text), "decision": "approve"}
                )
                assert taken.status_code == 403
                assert await _sent_up(runtime) == 0
                await _leader_returns(leader)
                shown = (await officer.get("/workspace/assignments/a-1")).text
                assert "Thiếu ngày ban hành văn bản." in shown and 'data-state="returned"' in shown
                await _propose(officer, "Văn bản số 1/UBND-VP ngày 02/12/2026")
                page = (await leader.get("/workspace/approvals")).text
                pending = re.findall(r'data-pending="([^"]+)"', page)
                assert len(pending) == 1
                approved = await leader.post(
                    f"/workspace/approvals/{pending[0]}", data={"csrf": csrf(page), "decision": "approve"}
                )
                assert approved.status_code == 303
                [event] = await read_topic(broker, topics.RESULT_SUBMITTED, expect=1, timeout=90)
                assert wire(event)["submitted_by"]["username"] == "hoa.nguyen"
                assert event.data["output"] == "Văn bản số 1/UBND-VP ngày 02/12/2026"
                # The unit is told through notify (ADR 0120): each proposal, then each decision, in order.
                asked = await read_topic(broker, topics.APPROVAL_REQUESTED, expect=2, timeout=90)
                assert [
                    (e.data["kind"], e.data["unit"], e.data["assignment_id"], e.data["plan_id"])
                    for e in asked
                ] == [("result", OFFICE, "a-1", ev.PLAN_ID)] * 2
                assert {wire(e)["submitted_by"]["name"] for e in asked} == {"Nguyễn Thị Hoa"}
                told = await read_topic(broker, topics.APPROVAL_DECIDED, expect=2, timeout=90)
                assert [
                    (e.data["decision"], e.data["note"], wire(e)["decided_by"]["name"]) for e in told
                ] == [
                    ("returned", "Thiếu ngày ban hành văn bản.", "Trần Thị Lan"),
                    ("approved", None, "Trần Thị Lan"),
                ]
                assert told[1].data["item_id"] == event.data["result_id"]
                assert (await audit(runtime, "result.approve")) == [
                    ("person:lan.tran", WARD, "accepted", 202)
                ]
                assert [r[0] for r in await audit(runtime, "result.propose")] == ["person:hoa.nguyen"] * 2
                final = (await officer.get("/workspace/assignments/a-1")).text
                assert 'data-version="1"' in final and "data-proposal" not in final

    asyncio.run(scenario())


async def _listed(client: httpx.AsyncClient) -> bool:
    return 'data-assignment="a-1"' in (await client.get("/workspace")).text


async def _propose(client: httpx.AsyncClient, output: str) -> None:
    page = (await client.get("/workspace/assignments/a-1")).text
    done_on = (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    answer = await client.post(
        "/workspace/assignments/a-1/result",
        data=_form(page, status="hoan_thanh", completed_on=done_on, output=output),
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("?pending=1"), answer.text[
        -1500:
    ]
    shown = (await client.get(answer.headers["location"])).text
    assert "Đã gửi lãnh đạo đơn vị duyệt." in shown and 'data-state="waiting"' in shown


async def _leader_returns(client: httpx.AsyncClient) -> None:
    page = (await client.get("/workspace/approvals")).text
    [pending] = re.findall(r'data-pending="([^"]+)"', page)
    token = csrf(page)
    empty = await client.post(
        f"/workspace/approvals/{pending}", data={"csrf": token, "decision": "return", "note": ""}
    )
    assert empty.status_code == 422 and "Hãy ghi lý do trả lại" in empty.text
    back = await client.post(
        f"/workspace/approvals/{pending}",
        data={"csrf": token, "decision": "return", "note": "Thiếu ngày ban hành văn bản."},
    )
    assert back.status_code == 303


async def _reports_sent_up(runtime: Runtime) -> int:
    t = runtime.spec.tables.outbox
    async with runtime.engine.connect() as conn:
        query = select(func.count()).select_from(t).where(t.c.topic == topics.REPORT_SUBMITTED)
        return int((await conn.execute(query)).scalar_one())


def test_a_leader_approves_or_returns_an_officers_periodic_report_before_it_goes_up(
    broker: str, database_url: str
) -> None:
    officer_pw = s.cli(
        database_url, "people", "add", "--username", "hoa.nguyen", "--name", "Nguyễn Thị Hoa", "--unit", WARD
    )
    leader_pw = s.cli(
        database_url,
        "people",
        "add",
        "--username",
        "lan.tran",
        "--name",
        "Trần Thị Lan",
        "--unit",
        WARD,
        "--role",
        "leader",
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)
    path = f"/workspace/reports/{ev.PLAN_ID}/2026-S1?unit={WARD}"

    async def send(client: httpx.AsyncClient, narrative: str) -> None:
        page = (await client.get(path)).text
        answer = await client.post(
            f"/workspace/reports/{ev.PLAN_ID}?unit={WARD}",
            data=_form(page, period="2026-S1", narrative=narrative),
        )
        assert answer.status_code == 303 and answer.headers["location"].endswith("&pending=1"), answer.text[
            -1500:
        ]
        shown = (await client.get(answer.headers["location"])).text
        assert "Đã gửi lãnh đạo đơn vị duyệt." in shown and 'data-state="waiting"' in shown

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            await ev.publish(
                broker, ev.assigned("a-1", WARD), ev.expected(WARD, "2026-S1", today() + timedelta(days=3))
            )
            async with browser(app) as officer, browser(app) as leader:
                await first_sign_in(officer, "hoa.nguyen", officer_pw)
                await first_sign_in(leader, "lan.tran", leader_pw)
                page = (await leader.get("/workspace/approvals")).text
                assert "Không có báo cáo nào đang chờ duyệt." in page
                await leader.post(
                    "/workspace/approvals/preference", data={"csrf": csrf(page), "approval": "on"}
                )

                async def owed() -> bool:
                    return (await officer.get(path)).status_code == 200

                await eventually(owed, timeout=90, what="the report owed in the replica")
                await send(officer, "Đã tổ chức 3 hội nghị")
                assert await _reports_sent_up(runtime) == 0
                home = (await leader.get("/workspace")).text  # told on the leader's first page
                assert 'data-waiting="1"' in home and "đang chờ anh/chị duyệt" in home
                assert "data-waiting" not in (await officer.get("/workspace")).text
                page = (await leader.get("/workspace/approvals")).text
                [pending] = re.findall(r'data-pending="([^"]+)" data-pending-report', page)
                assert "Báo cáo 6 tháng đầu năm 2026" in page and "Đã tổ chức 3 hội nghị" in page
                empty = await leader.post(
                    f"/workspace/approvals/{pending}", data={"csrf": csrf(page), "decision": "return"}
                )
                assert empty.status_code == 422 and "Hãy ghi lý do trả lại" in empty.text
                back = await leader.post(
                    f"/workspace/approvals/{pending}",
                    data={"csrf": csrf(page), "decision": "return", "note": "Thiếu số liệu xã viên."},
                )
                assert back.status_code == 303
                shown = (await officer.get(path)).text
                assert "Thiếu số liệu xã viên." in shown and 'data-state="returned"' in shown
                assert "Đã tổ chức 3 hội nghị</textarea>" in shown  # the correction starts from the draft
                await send(officer, "Đã tổ chức 3 hội nghị, 120 lượt người dự")
                page = (await leader.get("/workspace/approvals")).text
                [pending] = re.findall(r'data-pending="([^"]+)" data-pending-report', page)
                approved = await leader.post(
                    f"/workspace/approvals/{pending}", data={"csrf": csrf(page), "decision": "approve"}
                )
                assert approved.status_code == 303
                [event] = await read_topic(broker, topics.REPORT_SUBMITTED, expect=1, timeout=90)
                assert wire(event)["submitted_by"]["username"] == "hoa.nguyen"
                assert event.data["narrative"] == "Đã tổ chức 3 hội nghị, 120 lượt người dự"
                asked = await read_topic(broker, topics.APPROVAL_REQUESTED, expect=2, timeout=90)
                assert [(e.data["kind"], e.data["period_id"], e.data["plan_id"]) for e in asked] == [
                    ("report", "2026-S1", ev.PLAN_ID)
                ] * 2
                told = await read_topic(broker, topics.APPROVAL_DECIDED, expect=2, timeout=90)
                assert [(e.data["decision"], e.data["note"]) for e in told] == [
                    ("returned", "Thiếu số liệu xã viên."),
                    ("approved", None),
                ]
                assert await audit(runtime, "report.approve") == [("person:lan.tran", WARD, "accepted", 202)]
                assert await audit(runtime, "report.return") == [
                    ("person:lan.tran", WARD, "refused", 422),  # no reason given
                    ("person:lan.tran", WARD, "accepted", 200),
                ]
                assert [r[0] for r in await audit(runtime, "report.propose")] == ["person:hoa.nguyen"] * 2
                final = (await officer.get(path)).text
                assert 'data-version="1"' in final and "data-proposal" not in final

    asyncio.run(scenario())

"""Input that can never take effect is refused at intake's door, with nothing stored, audited or published.

Intake knows assignments and reports owed from its replica of tasks (ADR 0030), fed here by tasks' events
on the real broker; plans are intake's own. Ten results at once on one assignment each get their version.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import Select, Table, func, select

from dondoc.platform.runtime import Runtime
from services.intake import queries
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support import ADMIN_TOKEN, eventually, running
from tests.support.intake import replica_events as ev
from tests.support.intake import scenarios as s

WARD, OTHER = s.WARD, s.OTHER
BAD_PERIODS = ["-1", "2026-S9", "2026\u0000S1", "2026-N", "6 tháng cuối năm 2026", "2026-M13", "2026-S1\n"]


def test_the_door_refuses_what_can_never_take_effect(broker: str, database_url: str) -> None:
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with running(app) as client:
            runtime: Runtime = app.runtime
            admin = s.bearer(ADMIN_TOKEN)
            ward = s.bearer(await s.issue(client, admin, WARD))
            plan = await client.post("/plans", json=s.plan_for(WARD), headers=ward)
            assert plan.status_code == 202, plan.text
            plan_id = plan.json()["id"]
            await _a_result_on_an_assignment_on_its_way_is_asked_to_retry(client, ward)
            await ev.publish(
                broker,
                ev.assigned("a-ward", WARD, plan_id=plan_id),
                ev.assigned("a-other", OTHER, plan_id="another-ward-plan"),
                ev.expected(WARD, "2026-S1", date(2026, 6, 18), plan_id=plan_id),
            )

            async def replicated() -> bool:
                async with runtime.uow() as uow:
                    known = await queries.assignment(uow.session, "a-other")
                    return known is not None and bool(await queries.periods_owed(uow.session, WARD, None))

            await eventually(replicated, what="the replica to hold the assignments and the report owed")
            draft = await client.post("/plans", json=s.plan_for(WARD, draft=True), headers=ward)
            before = await _footprint(runtime)
            await _results_that_can_never_take_effect(client, ward, admin)
            await _reports_that_can_never_take_effect(client, ward, plan_id)
            await _plans_that_can_never_be_followed(client, ward, draft.json()["id"])
            await _a_plan_addresses_only_what_its_issuer_may(client, ward, admin, draft.json()["id"])
            await _no_english_reaches_a_ward(client, ward)
            joined = {"code": "X+Y", "name": "Phường Thử", "kind": "phuong", "effective": "2026-01-01"}
            refused = await client.post("/admin/directory/units", json=joined, headers=admin)
            assert refused.status_code == 422 and _field_of(refused) == "code", refused.text
            assert (await client.get("/directory/groups", headers=ward)).status_code == 200
            assert await _footprint(runtime) == before, "a refusal stored, audited as accepted or published"
            await _ten_results_at_once_each_get_a_version(client, ward)
            await _drafts_put_patch_and_confirm_apply_one_rule(client, ward)
            owed = {"unit": WARD, "period_id": "2026-S1", "plan_id": plan_id}
            assert (await client.post("/reports", json=owed, headers=ward)).status_code == 202

    asyncio.run(scenario())


async def _footprint(runtime: Runtime) -> tuple[int, int, int, int]:
    """Results and reports stored, writes audited as accepted, events in the outbox."""
    t = runtime.spec.tables
    async with runtime.engine.connect() as conn:

        async def count(query: Select[Any]) -> int:
            return int((await conn.execute(query)).scalar_one())

        return (
            await count(
                select(func.count()).select_from(select(1).select_from(_table(runtime, "results")).subquery())
            ),
            await count(select(func.count()).select_from(_table(runtime, "periodic_reports"))),
            await count(
                select(func.count()).select_from(t.audit_log).where(t.audit_log.c.outcome == "accepted")
            ),
            await count(select(func.count()).select_from(t.outbox)),
        )


def _table(runtime: Runtime, name: str) -> Table:
    return runtime.spec.metadata.tables[name]


def _result(assignment_id: str, unit: str = WARD, **extra: object) -> dict[str, object]:
    return {"assignment_id": assignment_id, "unit": unit, "status": "dang_thuc_hien"} | extra


def _field_of(answer: httpx.Response) -> str:
    detail = answer.json()["detail"]
    assert isinstance(detail, list), detail
    return str(detail[0]["field"])


async def _a_result_on_an_assignment_on_its_way_is_asked_to_retry(
    client: httpx.AsyncClient, ward: dict[str, str]
) -> None:
    answer = await client.post("/results", json=_result("a-ward"), headers=ward)
    assert answer.status_code == 503, answer.text
    assert int(answer.headers["Retry-After"]) > 0
    assert "thử lại sau ít giây" in answer.json()["detail"]


async def _results_that_can_never_take_effect(
    client: httpx.AsyncClient, ward: dict[str, str], admin: dict[str, str]
) -> None:
    for body, who, status, field in (
        (_result("no-such-assignment"), ward, 404, "assignment_id"),
        (
            _result("a-other"),
            ward,
            404,
            "assignment_id",
        ),  # the caller's own unit on another ward's assignment
        (_result("a-other"), admin, 422, "unit"),
        # another office of the ward than its Văn phòng, on the ward's own assignment (ADR 0041)
        (_result("a-ward", unit=f"{WARD}.VHXH"), ward, 422, "unit"),
        (
            _result("a-ward", status="hoan_thanh", completed_on=str(date.today() + timedelta(days=3))),
            ward,
            422,
            "completed_on",
        ),
        (_result("a-ward", status="hoan_thanh", completed_on="1999-12-31"), ward, 422, "completed_on"),
        (_result("a-ward", status="hoan_thanh", completed_on="0001-01-01"), ward, 422, "completed_on"),
    ):
        answer = await client.post("/results", json=body, headers=who)
        assert answer.status_code == status, (body, answer.text)
        assert _field_of(answer) == field
    nested = {"unit": WARD, "period_id": "2026-S1", "results": [_result("a-ward"), _result("a-other")]}
    answer = await client.post("/reports", json=nested, headers=ward)
    assert (answer.status_code, _field_of(answer)) == (404, "results.1.assignment_id"), answer.text


async def _reports_that_can_never_take_effect(
    client: httpx.AsyncClient, ward: dict[str, str], plan_id: str
) -> None:
    for period in BAD_PERIODS:
        answer = await client.post("/reports", json={"unit": WARD, "period_id": period}, headers=ward)
        assert answer.status_code == 422, (period, answer.text)
        assert _field_of(answer) == "period_id" and "2026-S1" in answer.json()["detail"][0]["message"]
    not_owed = await client.post(
        "/reports", json={"unit": WARD, "period_id": "2026-S2", "plan_id": plan_id}, headers=ward
    )
    assert not_owed.status_code == 422 and _field_of(not_owed) == "period_id"
    assert "các kỳ đơn vị phải báo cáo theo kế hoạch này: 2026-S1" in not_owed.json()["detail"][0]["message"]
    no_plan = await client.post(
        "/reports", json={"unit": WARD, "period_id": "2026-S1", "plan_id": "nope"}, headers=ward
    )
    assert no_plan.status_code == 404 and _field_of(no_plan) == "plan_id"


async def _plans_that_can_never_be_followed(
    client: httpx.AsyncClient, ward: dict[str, str], draft_id: str
) -> None:
    def plan_with(*tasks: dict[str, object], draft: bool = False) -> dict[str, object]:
        return s.plan_for(WARD, draft=draft) | {"tasks": list(tasks)}

    lead = [{"text": "Văn phòng HĐND và UBND"}]
    task: dict[str, object] = {"ref": "1", "title": "Tổ chức quán triệt", "lead": lead}
    bad = {
        "tasks.1.ref": plan_with(task, task),
        "tasks.0.timeframe.start": plan_with(
            task | {"timeframe": {"start": "2026-06-01", "due": "2026-05-31"}}
        ),
        "tasks.0.timeframe.due": plan_with(task | {"timeframe": {"due": "0001-01-01"}}),
    }
    for field, body in bad.items():
        for method, path, sent in (
            ("POST", "/plans", body),
            ("POST", "/plans", body | {"draft": True}),
            ("PUT", f"/plans/{draft_id}", body),
            ("PATCH", f"/plans/{draft_id}", body),
        ):
            answer = await client.request(method, path, json=sent, headers=ward)
            assert answer.status_code == 422, (method, field, answer.text)
            assert _field_of(answer) == field, answer.text


async def _ten_results_at_once_each_get_a_version(client: httpx.AsyncClient, ward: dict[str, str]) -> None:
    answers = await asyncio.gather(
        *(
            client.post("/results", json=_result("a-ward", narrative=f"lần {i}"), headers=ward)
            for i in range(10)
        )
    )
    assert [a.status_code for a in answers] == [202] * 10, [a.text for a in answers]
    assert sorted(a.json()["version"] for a in answers) == list(range(1, 11))


async def _drafts_put_patch_and_confirm_apply_one_rule(
    client: httpx.AsyncClient, ward: dict[str, str]
) -> None:
    ministry = {"reporter": [{"text": "Văn phòng HĐND và UBND"}], "recipient": {"text": "Bộ Tư pháp"}}
    plan = s.plan_for(WARD, draft=True) | {"reporting": [ministry]}
    draft = await client.post("/plans", json=plan, headers=ward)
    assert draft.status_code == 202 and draft.json()["open_questions"] == [], draft.text
    plan_id = draft.json()["id"]
    for method in ("PUT", "PATCH"):
        again = await client.request(method, f"/plans/{plan_id}", json=plan, headers=ward)
        assert again.status_code == 202 and again.json()["open_questions"] == [], again.text
    assert (await client.post(f"/plans/{plan_id}/confirm", headers=ward)).status_code == 202
    # A name nobody knows: kept in the draft with its question, refused when confirming, at every door.
    unknown = plan | {"reporting": [ministry | {"reporter": [{"text": "Phòng Không Tồn Tại"}]}]}
    kept = await client.post("/plans", json=unknown, headers=ward)
    assert kept.status_code == 202 and "Phòng Không Tồn Tại" in " ".join(kept.json()["open_questions"])
    refused = await client.post(f"/plans/{kept.json()['id']}/confirm", headers=ward)
    assert refused.status_code == 422 and "Phòng Không Tồn Tại" in refused.text
    at_once = await client.post("/plans", json=unknown | {"draft": False}, headers=ward)
    assert at_once.status_code == 422 and _field_of(at_once) == "reporting.0.reporter.0.text"


async def _a_plan_addresses_only_what_its_issuer_may(
    client: httpx.AsyncClient, ward: dict[str, str], admin: dict[str, str], draft_id: str
) -> None:
    task = {
        "ref": "1",
        "title": "Tổ chức quán triệt",
        "lead": [{"text": "UBND phường Đông Hải", "unit": "11411"}],
    }
    hostile = s.plan_for(WARD) | {"tasks": [task]}
    for who, method, path, body in (
        (ward, "POST", "/plans", hostile),
        (ward, "POST", "/plans", hostile | {"draft": True}),
        (ward, "PUT", f"/plans/{draft_id}", hostile),
        (ward, "PATCH", f"/plans/{draft_id}", hostile),
        (admin, "POST", "/plans", hostile),  # the rule is the plan's, whoever sends it
    ):
        answer = await client.request(method, path, json=body, headers=who)
        assert answer.status_code == 403, (method, answer.text)
        assert (
            "không được giao nhiệm vụ cho" in answer.json()["detail"] and "(11411)" in answer.json()["detail"]
        )


async def _no_english_reaches_a_ward(client: httpx.AsyncClient, ward: dict[str, str]) -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    nested = await client.post("/results", content=deep, headers=ward | {"content-type": "application/json"})
    assert nested.status_code in (400, 422) and "Không đọc được nội dung gửi lên" in nested.text, nested.text
    wrong = await client.post("/results", json=_result("a-ward", status="xong"), headers=ward)
    assert wrong.status_code == 422 and _field_of(wrong) == "status"
    message = wrong.json()["detail"][0]["message"]
    assert "'dang_thuc_hien', 'hoan_thanh'" in message and " or " not in message, message
    audit = await client.get("/audit", params={"limit": 2}, headers=s.bearer(ADMIN_TOKEN))
    assert (
        len(audit.json()) == 2
        and int(audit.headers["X-Total-Count"]) > 2
        and 'rel="next"' in audit.headers["Link"]
    )
    unknown = await client.get("/results/x", params={"phien_ban": "1"}, headers=ward)
    assert unknown.status_code == 422 and "«phien_ban» không được hỗ trợ" in unknown.text
    lost = await client.get("/khong-co", headers=ward)
    assert lost.status_code == 404 and "Không tìm thấy địa chỉ này" in lost.text

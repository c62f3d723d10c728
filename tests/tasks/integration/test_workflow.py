"""A ward plan: designations for tasks naming nobody, links to the city plan, results moving statuses."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from dondoc.kernel.status import TaskStatus
from dondoc.platform.app import ServiceApp
from dondoc.platform.auth import issue_key
from dondoc.platform.runtime import Runtime
from shared import topics
from shared.events import CredentialChanged, PlanTask, ResultSubmitted, TaskStatusChanged, Timeframe, UnitRef
from tests.support import eventually, publish_raw, read_topic, running
from tests.support.tasks import (
    AUTH,
    app_at,
    consumed,
    count_assignments,
    envelope,
    move_clock,
    outbox_drained,
    plan,
    refs,
    seed_004_tasks,
)

pytestmark = pytest.mark.integration
WARD = "11407"
OTHER = "11411"  # UBND phường Đông Hải
NOW = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)
DUE = date(2026, 5, 29)


def ward_tasks() -> list[PlanTask]:
    deadline = Timeframe(text="Tháng 5/2026", kind="deadline", due=DUE)
    return [
        PlanTask(
            ref="1",
            title="Rà soát văn bản quy phạm pháp luật của phường",
            lead=[UnitRef(text="Các cơ quan, đơn vị có liên quan")],
            timeframe=deadline,
            implements_task_ref="PL.4",
        ),
        PlanTask(
            ref="2",
            # no reference given: linked by its title, and flagged for a person to check
            title="Tăng cường truyền thông thường xuyên về kết quả thực hiện Nghị quyết số 66-NQ/TW",
            lead=refs(["Văn phòng HĐND và UBND"], WARD),
            coordinating=refs(["Phòng Văn hóa - Xã hội"], WARD),
            timeframe=deadline,
        ),
        PlanTask(
            ref="3",
            title="Tổ chức hội nghị quán triệt",
            lead=refs(["Phòng Kinh tế, Hạ tầng và Đô thị"], WARD),
            timeframe=deadline,
        ),
        PlanTask(
            ref="4",
            title="Theo dõi tình hình thi hành pháp luật trên địa bàn",
            lead=refs(["Văn phòng HĐND và UBND"], WARD),
            timeframe=Timeframe(text="Thường xuyên", kind="ongoing"),
        ),
    ]


async def _unit_keys(broker: str, app: ServiceApp, units: dict[str, str]) -> list[dict[str, str]]:
    """Issue unit keys the way intake does: `credential.changed` on the broker, replicated here."""
    headers: list[dict[str, str]] = []
    for unit, label in units.items():
        key = issue_key()
        event = CredentialChanged(
            key_id=key.key_id,
            unit=unit,
            role="unit",
            secret_hash=key.secret_hash,
            label=label,
            created_at=NOW,
        )
        await publish_raw(broker, topics.CREDENTIAL_CHANGED, envelope(event).to_bytes(), key=unit.encode())
        headers.append({"Authorization": f"Bearer {key.token}"})

    async def replicated() -> bool:
        return consumed(app, topics.CREDENTIAL_CHANGED, "ok") >= len(units)

    await eventually(replicated, what="the unit keys")
    return headers


async def _audited(runtime: Runtime, outcome: str) -> int:
    audit = runtime.spec.tables.audit_log
    query = (
        select(func.count())
        .select_from(audit)
        .where(audit.c.action == "task.designate", audit.c.outcome == outcome)
    )
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


def result(assignment_id: str, unit: str, completed_on: date, submitted: datetime) -> bytes:
    event = ResultSubmitted(
        result_id=str(uuid.uuid4()),
        assignment_id=assignment_id,
        unit=unit,
        version=1,
        status="hoan_thanh",
        completed_on=completed_on,
        output="Văn bản số 123/UBND-VP",
        submitted_at=submitted,
    )
    return envelope(event).to_bytes()


async def test_designations_cascade_and_results_follow_a_ward_plan(broker: str, database_url: str) -> None:
    city = plan(seed_004_tasks()[:4])
    ward = plan(ward_tasks(), issuer=WARD, implements_plan_id=city.plan_id)
    app = app_at(broker, database_url, date(2026, 5, 4))
    async with running(app) as client:
        runtime: Runtime = app.runtime
        # the ward's plan arrives before the city plan it implements: linked when the city plan comes
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(ward).to_bytes(), key=b"w")
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(city).to_bytes(), key=b"c")

        async def ward_assigned() -> bool:
            return await count_assignments(runtime, ward.plan_id) == 4

        await eventually(ward_assigned, what="the ward's assignments")

        # 1. the task naming nobody waits for a person of the ward; another ward neither sees nor decides it
        ward_key, other_key = await _unit_keys(broker, app, {WARD: "ward", OTHER: "other"})
        pending = (await client.get("/designations", params={"pending": "true"}, headers=ward_key)).json()
        assert [(p["plan_id"], p["task_ref"], p["role"]) for p in pending] == [(ward.plan_id, "1", "chu_tri")]
        assert (await client.get("/designations", headers=other_key)).json() == []
        url = f"/plans/{ward.plan_id}/tasks/1/designations"
        body = {"units": [f"{WARD}.VP", f"{WARD}.KT"], "role": "chu_tri"}
        refused = await client.post(url, json=body, headers=other_key)
        assert refused.status_code == 404 and refused.json()["detail"].startswith("Không tìm thấy kế hoạch")
        assert await _audited(runtime, "refused") == 1
        # the ward may designate its own offices only: another ward is refused by the addressing rule
        foreign = await client.post(url, json={"units": [OTHER], "role": "chu_tri"}, headers=ward_key)
        assert foreign.status_code == 403 and f"({OTHER})" in foreign.json()["detail"], foreign.text
        assert await _audited(runtime, "refused") == 2
        headers = {**ward_key, "Idempotency-Key": "designate-1"}
        first = await client.post(url, json=body, headers=headers)
        assert first.status_code == 201, first.text
        replay = await client.post(url, json=body, headers=headers)
        assert replay.json() == first.json() and replay.headers.get("Idempotent-Replayed") == "true"
        assert await _audited(runtime, "accepted") == 1
        unknown = await client.post(url, json={"units": ["KHONG-CO"], "role": "chu_tri"}, headers=AUTH)
        assert unknown.status_code == 422 and "KHONG-CO" in unknown.json()["detail"]
        designated = await client.get(
            "/assignments", params={"plan_id": ward.plan_id, "task_ref": "1"}, headers=AUTH
        )
        assert sorted(a["unit"] for a in designated.json()) == [f"{WARD}.KT", f"{WARD}.VP"]
        assert (await client.get("/designations", params={"pending": "true"}, headers=AUTH)).json() == []

        # 2. the city sees, per task, which wards planned for it
        async def cascade() -> list[dict[str, Any]] | None:
            answer = await client.get(f"/plans/{city.plan_id}/cascade", headers=AUTH)
            rows: list[dict[str, Any]] = answer.json() if answer.status_code == 200 else []
            return rows if any(r["wards"] for r in rows) else None

        linked = {row["task_ref"]: row["wards"] for row in await eventually(cascade, what="cascade links")}
        assert [(w["task_ref"], w["method"], w["flagged"]) for w in linked["PL.4"]] == [
            ("1", "explicit", False)
        ]
        assert [(w["task_ref"], w["method"], w["flagged"]) for w in linked["PL.1"]] == [
            ("2", "similarity", True)
        ]
        assert linked["PL.2"] == [] and linked["PL.4"][0]["unit"] == WARD

        # 3. results: done on the due date is on time even when the message comes later; late is late
        task2 = (await client.get(f"/plans/{ward.plan_id}/tasks/2/assignments", headers=AUTH)).json()
        by_role = {a["role"]: a for a in task2["assignments"]}
        lead, helper = by_role["chu_tri"], by_role["phoi_hop"]
        move_clock(app, date(2026, 6, 3))
        late_message = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
        await publish_raw(
            broker, topics.RESULT_SUBMITTED, result(lead["id"], lead["unit"], DUE, late_message)
        )
        await publish_raw(
            broker,
            topics.RESULT_SUBMITTED,
            result(helper["id"], helper["unit"], date(2026, 6, 1), late_message),
        )

        async def judged() -> dict[str, object] | None:
            answer = (await client.get(f"/plans/{ward.plan_id}/tasks/2/assignments", headers=AUTH)).json()
            return answer if len(answer["contributions"]) == 2 else None

        task2 = await eventually(judged, what="both results recorded")
        statuses = {a["role"]: a["status"] for a in task2["assignments"]}
        assert statuses == {
            "chu_tri": TaskStatus.DONE_ON_TIME.code,
            "phoi_hop": TaskStatus.DONE_LATE.code,
        }
        assert task2["task_status"] == TaskStatus.DONE_ON_TIME.code  # the lead decides the task

        # an ongoing task is judged per reporting period (here the Decree 09 half-year 2026-S1)
        [ongoing] = (
            await client.get("/assignments", params={"plan_id": ward.plan_id, "task_ref": "4"}, headers=AUTH)
        ).json()
        await publish_raw(
            broker,
            topics.RESULT_SUBMITTED,
            result(ongoing["id"], ongoing["unit"], date(2026, 6, 1), late_message),
        )

        async def period_judged() -> list[dict[str, Any]] | None:
            rows: list[dict[str, Any]] = (
                await client.get(f"/assignments/{ongoing['id']}/periods", headers=AUTH)
            ).json()
            return rows or None

        [half] = await eventually(period_judged, what="the ongoing task's period")
        assert (half["period_id"], half["window_start"], half["window_end"]) == (
            "2026-S1",
            "2025-12-15",
            "2026-06-14",
        )
        assert (half["reported_on"], half["status"]) == ("2026-06-01", TaskStatus.DONE_ON_TIME.code)

        # 4. time passes: task 3 was not done → overdue, listed for the ward (its offices included), and
        # so is the city's PL.4 (due 31/5), which the ward itself carries as one of the commune committees
        tick = await client.post("/admin/tick", headers=AUTH)
        assert tick.status_code == 200 and tick.json()["ran"] is True
        overdue = (await client.get(f"/units/{WARD}/overdue", headers=AUTH)).json()
        assert {(a["task_ref"], a["unit"]) for a in overdue} == {
            ("3", f"{WARD}.KT"),
            ("1", f"{WARD}.VP"),
            ("1", f"{WARD}.KT"),
            ("PL.4", WARD),
        }
        metrics = (await client.get("/metrics")).text
        assert 'dondoc_overdue_assignments{unit_kind="commune_office"} 3.0' in metrics
        expect = 3 + tick.json()["status_changes"]
        await outbox_drained(app)

    changes = [
        e.payload(TaskStatusChanged)
        for e in await read_topic(broker, topics.TASK_STATUS_CHANGED, expect=expect)
    ]
    assert {
        (c.assignment_id, c.status) for c in changes if c.assignment_id in (lead["id"], helper["id"])
    } == {
        (lead["id"], TaskStatus.DONE_ON_TIME.code),
        (helper["id"], TaskStatus.DONE_LATE.code),
    }
    assert len(changes) == expect
    assert [(c.status, c.period_id) for c in changes if c.assignment_id == ongoing["id"]] == [
        (TaskStatus.DONE_ON_TIME.code, "2026-S1")
    ]
    ward_overdue = {c.assignment_id for c in changes if c.status == TaskStatus.OVERDUE.code}
    assert {a["id"] for a in overdue} <= ward_overdue

"""A confirmed city plan becomes one assignment per unit meant, once; revisions add, change and withdraw."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from dondoc.platform.runtime import Runtime
from services.tasks.models import PlanCopy
from shared import topics
from shared.events import PlanTask, TaskAssigned, TaskWithdrawn, Timeframe
from tests.support import eventually, publish_raw, read_topic, running
from tests.support.tasks import (
    AUTH,
    app_at,
    consumed,
    count_assignments,
    envelope,
    expected_units,
    outbox_drained,
    plan,
    refs,
    seed_004_tasks,
)

pytestmark = pytest.mark.integration


async def _version(runtime: Runtime, plan_id: str) -> int:
    async with runtime.uow() as uow:
        copy = await uow.session.get(PlanCopy, plan_id)
    return copy.version if copy else 0


async def test_the_city_plan_reaches_every_unit_once_and_a_revision_adds_changes_and_withdraws(
    broker: str, database_url: str
) -> None:
    tasks = seed_004_tasks()
    first = plan(tasks)
    expected = sum(expected_units(t) for t in tasks)
    # the collective "Các sở, ban, ngành và UBND cấp xã" really fans out to every commune committee
    assert expected > 17 * 114
    changed_task = next(t for t in tasks if t.ref == "PL.4")
    dropped_task = next(t for t in tasks if t.ref == "PL.17")
    new_task = PlanTask(
        ref="PL.18",
        title="Sơ kết việc thực hiện Kế hoạch",
        lead=refs(["Sở Tư pháp"]),
        timeframe=Timeframe(text="Tháng 12/2026", kind="deadline", due=date(2026, 12, 31)),
    )
    revised_tasks = [
        t.model_copy(
            update={"timeframe": Timeframe(text="Tháng 6/2026", kind="deadline", due=date(2026, 6, 30))}
        )
        if t.ref == "PL.4"
        else t
        for t in tasks
        if t.ref != "PL.17"
    ] + [new_task]
    revised = plan(revised_tasks, plan_id=first.plan_id, version=2)

    app = app_at(broker, database_url, date(2026, 4, 20))
    async with running(app) as client:
        runtime: Runtime = app.runtime
        delivered = envelope(first)
        await publish_raw(broker, topics.PLAN_RECEIVED, delivered.to_bytes(), key=first.plan_id.encode())

        async def all_assigned() -> bool:
            return await count_assignments(runtime, first.plan_id) == expected

        await eventually(all_assigned, timeout=60, what="every assignment of the city plan")
        # redelivered (same event) and resubmitted (same plan version, a new event): nothing new
        await publish_raw(broker, topics.PLAN_RECEIVED, delivered.to_bytes(), key=first.plan_id.encode())
        again = envelope(first).to_bytes()
        await publish_raw(broker, topics.PLAN_RECEIVED, again, key=first.plan_id.encode())

        async def both_seen() -> bool:
            ok = consumed(app, topics.PLAN_RECEIVED, "ok") >= 2
            return ok and consumed(app, topics.PLAN_RECEIVED, "duplicate") >= 1

        await eventually(both_seen, what="the redelivery and the resubmission")
        assert await count_assignments(runtime, first.plan_id) == expected

        await publish_raw(
            broker, topics.PLAN_RECEIVED, envelope(revised).to_bytes(), key=first.plan_id.encode()
        )

        async def revised_applied() -> bool:
            return await _version(runtime, first.plan_id) == 2

        await eventually(revised_applied, what="the revised plan")
        live = expected - expected_units(dropped_task) + expected_units(new_task)
        assert await count_assignments(runtime, first.plan_id) == live
        assert await count_assignments(runtime, first.plan_id, withdrawn=True) == expected_units(dropped_task)
        answer = await client.get(
            "/assignments", params={"plan_id": first.plan_id, "task_ref": "PL.4", "limit": 5000}, headers=AUTH
        )
        assert answer.status_code == 200
        assert {(a["due"], a["revision"]) for a in answer.json()} == {("2026-06-30", 2)}
        await outbox_drained(app)

    n_changed = expected_units(changed_task)
    total = expected + n_changed + expected_units(new_task)
    assigned = [e.payload(TaskAssigned) for e in await read_topic(broker, topics.TASK_ASSIGNED, expect=total)]
    assert len(assigned) == total
    once = Counter((a.assignment_id, a.revision) for a in assigned)
    assert set(once.values()) == {1}, "a task.assigned was published twice"
    assert len({a.assignment_id for a in assigned if a.plan_version == 1}) == expected
    second = [a for a in assigned if a.plan_version == 2]
    assert Counter((a.task_ref, a.revision) for a in second) == {("PL.4", 2): n_changed, ("PL.18", 1): 1}
    assert all(a.timeframe.due == date(2026, 6, 30) for a in second if a.task_ref == "PL.4")
    # one unit's events share its key, so they stay in order on one partition
    withdrawn = [
        e.payload(TaskWithdrawn)
        for e in await read_topic(broker, topics.TASK_WITHDRAWN, expect=expected_units(dropped_task))
    ]
    dropped_ids = {a.assignment_id for a in assigned if a.task_ref == "PL.17"}
    assert sorted(w.assignment_id for w in withdrawn) == sorted(dropped_ids)

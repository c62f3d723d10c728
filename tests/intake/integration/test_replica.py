"""Intake's replica of tasks: assignments and reports owed follow tasks' events in any order of arrival."""

from __future__ import annotations

import asyncio
from datetime import date

from dondoc.platform.app import ServiceApp
from dondoc.platform.runtime import Runtime
from services.intake import queries
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.events import TaskStatusChanged, TaskWithdrawn
from tests.support import ADMIN_TOKEN, eventually, running
from tests.support.intake import replica_events as ev

WARD, OFFICE, OTHER = "11407", "11407.VP", "10537"


def _app(broker: str, database_url: str) -> ServiceApp:
    return create_app(
        IntakeSettings(kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN)
    )


def test_the_replica_follows_tasks_whatever_the_order(broker: str, database_url: str) -> None:
    app = _app(broker, database_url)

    async def scenario() -> None:
        async with running(app):
            runtime: Runtime = app.runtime
            # A status and a second revision arrive before the first assignment; a withdrawal of
            # another assignment before it was ever seen; the office's own assignment; another ward's.
            await ev.publish(
                broker,
                TaskStatusChanged(
                    assignment_id="a-ward",
                    unit=WARD,
                    status="hoan_thanh_dung_han",
                    previous_status="chua_den_han",
                    completed_on=date(2026, 3, 2),
                    as_of=date(2026, 3, 2),
                ),
                ev.assigned("a-ward", WARD, revision=2, due=date(2026, 9, 30)),
                ev.assigned("a-ward", WARD, revision=1, due=date(2026, 12, 31)),
                TaskWithdrawn(assignment_id="a-gone", plan_id=ev.PLAN_ID, plan_version=2, unit=WARD),
                ev.assigned("a-gone", WARD, task_ref="II.3", plan_version=1),
                ev.assigned("a-office", OFFICE, task_ref="II.2", role="phoi_hop", due=None),
                ev.assigned("a-other", OTHER),
                ev.expected(WARD, "2026-S1", date(2026, 6, 16)),
                ev.expected(WARD, "2026-S1", date(2026, 6, 18)),  # re-announced: the later word holds
                ev.expected(WARD, "2026-N", date(2026, 12, 18)),
            )

            async def settled() -> list[queries.WorkItem] | None:
                async with runtime.uow() as uow:
                    items = await queries.assignments_of(uow.session, WARD)
                    owed = await queries.reports_owed(uow.session, WARD)
                ready = {i.assignment_id for i in items} == {"a-ward", "a-office"} and len(owed) == 2
                return items if ready and owed[0].deadline == date(2026, 6, 18) else None

            items = await eventually(settled, what="the replica to hold every event")
            ward = next(i for i in items if i.assignment_id == "a-ward")
            assert (ward.task_title, ward.due, ward.role) == (
                "Nhiệm vụ II.1 (lần 2)",
                date(2026, 9, 30),
                "chu_tri",
            )
            assert (ward.status, ward.completed_on) == ("hoan_thanh_dung_han", date(2026, 3, 2))
            assert (ward.plan_number, ward.plan_title) == (
                "15/KH-UBND",
                "Kế hoạch triển khai Nghị quyết số 206/2025/QH15",
            )
            assert [i.assignment_id for i in items] == ["a-ward", "a-office"]  # dated first, undated last
            async with runtime.uow() as uow:
                session = uow.session
                assert await queries.assignment(session, "a-gone") is None
                assert await queries.assignment(session, "nothing") is None
                assert [
                    i.assignment_id for i in await queries.assignments_of(session, WARD, offices=False)
                ] == ["a-ward"]
                assert [i.assignment_id for i in await queries.assignments_of(session, OTHER)] == ["a-other"]
                assert await queries.periods_owed(session, WARD, ev.PLAN_ID) == ["2026-N", "2026-S1"]
                assert await queries.periods_owed(session, WARD, "another-plan") == []
                assert await queries.periods_owed(session, OTHER, None) == []

    asyncio.run(scenario())

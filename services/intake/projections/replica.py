"""Intake's replica of what tasks knows: assignments and reports owed, kept current from tasks' events.

Tasks owns these facts (ADR 0030); intake keeps a copy to refuse, at its door, input that can never take
effect (a result on an assignment that does not exist, a report for a period nobody owes) and to show a
unit its work list. Like reporting's projections, every handler is order-independent: revisions, plan
versions and dates are compared, and an event about an assignment not seen yet leaves a placeholder
(`task_ref == ""`) that the missing `task.assigned` completes. Read it through `replica_queries` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.platform.subscriptions import Received, Subscriptions, current_event
from dondoc.platform.uow import UnitOfWork
from services.intake.models import ReplicaAssignment, ReplicaReportOwed
from shared.events import ReportExpected, TaskAssigned, TaskStatusChanged, TaskWithdrawn

PLACEHOLDER_REF = ""


@dataclass(slots=True)
class _NewRow:
    """A replica row first seen in this transaction, as plain values: a city plan's batch brings hundreds,
    and an ORM object each cost more than writing them all in one INSERT at commit."""

    assignment_id: str
    plan_id: str
    unit: str
    unit_name: str
    updated_at: datetime
    plan_version: int = 0
    plan_number: str | None = None
    plan_title: str = ""
    task_ref: str = PLACEHOLDER_REF
    task_title: str = ""
    role: str = "phoi_hop"
    output: str | None = None
    timeframe_kind: str = "unspecified"
    timeframe_text: str | None = None
    start: date | None = None
    due: date | None = None
    revision: int = 0
    withdrawn: bool = False
    status: str = "chua_den_han"
    status_as_of: date | None = None
    completed_on: date | None = None

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


_NEW_ROWS = "intake.replica.new_assignments"


async def _row(uow: UnitOfWork, assignment_id: str, plan_id: str, unit: str) -> ReplicaAssignment | _NewRow:
    """The stored row, or one this transaction started (a placeholder until the events complete it),
    written with the transaction's other new rows when it commits."""
    new: dict[str, _NewRow] = uow.memo(_NEW_ROWS, dict)
    started = new.get(assignment_id)
    if started is not None:
        return started
    row = await uow.get(ReplicaAssignment, assignment_id)
    if row is not None:
        return row

    async def write() -> None:
        for values in new.values():
            uow.insert(ReplicaAssignment, **values.values())

    uow.before_commit(_NEW_ROWS, write)
    started = new[assignment_id] = _NewRow(assignment_id, plan_id, unit, unit, SYSTEM_CLOCK.now())
    return started


def _keep(uow: UnitOfWork, row: ReplicaAssignment | _NewRow) -> None:
    if isinstance(row, ReplicaAssignment):  # a new one is written at commit
        uow.add(row)


async def on_task_assigned(uow: UnitOfWork, event: TaskAssigned, _ctx: object) -> None:
    """An assignment or a newer revision of it; a plan version later than any seen un-withdraws it."""
    row = await _row(uow, event.assignment_id, event.plan_id, event.unit)
    if row.task_ref == PLACEHOLDER_REF or event.revision > row.revision:
        row.plan_id = event.plan_id
        row.plan_number = event.plan_number
        row.plan_title = event.plan_title
        row.task_ref = event.task_ref
        row.task_title = event.task_title
        row.unit = event.unit
        row.unit_name = event.unit_name
        row.role = event.role
        row.output = event.output
        row.timeframe_kind = event.timeframe.kind
        row.timeframe_text = event.timeframe.text
        row.start = event.timeframe.start
        row.due = event.timeframe.due
        row.revision = max(row.revision, event.revision)
    if event.plan_version > row.plan_version:
        row.plan_version = event.plan_version
        row.withdrawn = False
    row.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, row)


async def on_task_withdrawn(uow: UnitOfWork, event: TaskWithdrawn, _ctx: object) -> None:
    """A revised plan took the task away from the unit (unless a later version gave it back)."""
    row = await _row(uow, event.assignment_id, event.plan_id, event.unit)
    if event.plan_version > row.plan_version:
        row.plan_version = event.plan_version
        row.withdrawn = True
    row.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, row)


async def on_task_status_changed(uow: UnitOfWork, event: TaskStatusChanged, _ctx: object) -> None:
    """Tasks' own judgement of an assignment, the latest by date (per-period judgements aside)."""
    if event.period_id is not None:
        return
    row = await _row(uow, event.assignment_id, "", event.unit)
    if row.status_as_of is not None and (row.status_as_of, row.status) >= (event.as_of, event.status):
        return  # ties on one day resolve the same way in any order
    row.status = event.status
    row.status_as_of = event.as_of
    row.completed_on = event.completed_on
    row.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, row)


async def on_report_expected(uow: UnitOfWork, event: ReportExpected, _ctx: object) -> None:
    """A report a unit owes; a later announcement of the same report (a changed send-by rule) replaces it."""
    key = (event.obligation_id, event.unit, event.period_id)
    row = await uow.get(ReplicaReportOwed, key)
    announced = current_event().time
    if row is not None and as_utc(row.announced_at) > announced:
        return
    row = row or ReplicaReportOwed(
        obligation_id=event.obligation_id,
        unit=event.unit,
        period_id=event.period_id,
        window_start=event.window_start,
        window_end=event.window_end,
        deadline=event.deadline,
        announced_at=announced,
        updated_at=SYSTEM_CLOCK.now(),
    )
    row.plan_id = event.plan_id or row.plan_id
    row.window_start, row.window_end, row.deadline = event.window_start, event.window_end, event.deadline
    row.announced_at = announced
    row.updated_at = SYSTEM_CLOCK.now()
    uow.add(row)


AssignmentEvent = TaskAssigned | TaskWithdrawn | TaskStatusChanged


async def prefetch_assignments(
    uow: UnitOfWork, events: Sequence[Received[AssignmentEvent]], _ctx: object
) -> None:
    """Load the replica rows a batch of assignment events updates, in a few queries."""
    await uow.prefetch(ReplicaAssignment, [e.event.assignment_id for e in events])


# A city plan's assignments arrive by the thousand: their rows are loaded a batch at a time.
SUBSCRIPTIONS = (
    Subscriptions[object]()
    .on(TaskAssigned, on_task_assigned, prefetch=prefetch_assignments)
    .on(TaskWithdrawn, on_task_withdrawn, prefetch=prefetch_assignments)
    .on(TaskStatusChanged, on_task_status_changed, prefetch=prefetch_assignments)
    .on(ReportExpected, on_report_expected)
)

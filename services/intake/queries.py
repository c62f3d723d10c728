"""Reading intake's replica of tasks (ADR 0030): a unit's assignments and the periodic reports it owes.

The tables are `replica_assignments` (`ReplicaAssignment`: one unit's part in one task — plan id, number
and title, task ref and title, role chu_tri/phoi_hop, due date, tasks' status, withdrawn) and
`replica_reports_owed` (`ReplicaReportOwed`: unit, obligation, plan, period, data window, send-by
deadline), fed by `replica.py`. The replica trails tasks by the time an event takes to cross the bus,
so "not found" here may mean "not yet": `assignments_may_lag` and `reports_owed_may_lag` tell the two
apart (ADR 0030).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.db import driver_rows
from dondoc.platform.units import unit_or_offices
from services.intake.models import PlanRecord, PlanVersion, ReplicaAssignment, ReplicaReportOwed
from services.intake.projections.replica import PLACEHOLDER_REF


@dataclass(frozen=True)
class WorkItem:
    """One line of a unit's work list: what it was given, in which plan, by when, and where it stands."""

    assignment_id: str
    plan_id: str
    plan_number: str | None
    plan_title: str
    task_ref: str
    task_title: str
    unit: str
    unit_name: str
    role: str  # chu_tri | phoi_hop
    output: str | None
    timeframe_kind: str
    timeframe_text: str | None
    start: date | None
    due: date | None
    status: str
    completed_on: date | None


@dataclass(frozen=True)
class ReportOwed:
    """A periodic report a unit owes: the plan, the period, the data window and the send-by deadline."""

    obligation_id: str
    unit: str
    plan_id: str | None
    period_id: str
    window_start: date
    window_end: date
    deadline: date


def _unit_and_offices(column: Any, unit: str, offices: bool) -> Any:
    return unit_or_offices(col(column), unit) if offices else column == unit


def _item(row: ReplicaAssignment) -> WorkItem:
    return WorkItem(
        assignment_id=row.assignment_id,
        plan_id=row.plan_id,
        plan_number=row.plan_number,
        plan_title=row.plan_title,
        task_ref=row.task_ref,
        task_title=row.task_title,
        unit=row.unit,
        unit_name=row.unit_name,
        role=row.role,
        output=row.output,
        timeframe_kind=row.timeframe_kind,
        timeframe_text=row.timeframe_text,
        start=row.start,
        due=row.due,
        status=row.status,
        completed_on=row.completed_on,
    )


async def assignment(session: AsyncSession, assignment_id: str) -> WorkItem | None:
    """The assignment in force with this id (None if unknown, withdrawn, or known only by a placeholder)."""
    row = await session.get(ReplicaAssignment, assignment_id)
    if row is None or row.withdrawn or row.task_ref == PLACEHOLDER_REF:
        return None
    return _item(row)


@dataclass(frozen=True)
class Assignee:
    """Who an assignment in force was given to: what the door checks a result against.

    `newest_result` is the newest result version kept on it (0 for none), read in the same statement: the
    next result's version follows it (ADR 0118).
    """

    unit: str
    unit_name: str
    newest_result: int = 0


# Every result asks it: straight to the driver, with the assignment's newest result version in the same
# round trip (ADR 0100, 0118); `withdrawn` is 0/1 in SQLite, a boolean elsewhere.
_ASSIGNEE = (
    "SELECT unit, unit_name, withdrawn, task_ref,"
    " (SELECT MAX(version) FROM results WHERE results.assignment_id = replica_assignments.assignment_id)"
    " FROM replica_assignments WHERE assignment_id = ?"
)


async def assignee(session: AsyncSession, assignment_id: str) -> Assignee | None:
    """The unit of the assignment in force with this id (None as `assignment` would answer None)."""
    rows = await driver_rows(session, _ASSIGNEE, assignment_id)
    if not rows:
        return None
    unit, unit_name, withdrawn, task_ref, newest = rows[0]
    if withdrawn or task_ref == PLACEHOLDER_REF:
        return None
    return Assignee(str(unit), str(unit_name), int(newest or 0))


async def assignments_of(
    session: AsyncSession, unit: str, *, offices: bool = True, plan_id: str | None = None
) -> list[WorkItem]:
    """A unit's assignments in force (with its offices' by default), by due date then plan and task."""
    query = select(ReplicaAssignment).where(
        _unit_and_offices(ReplicaAssignment.unit, unit, offices),
        col(ReplicaAssignment.withdrawn).is_(False),
        ReplicaAssignment.task_ref != PLACEHOLDER_REF,
    )
    if plan_id is not None:
        query = query.where(ReplicaAssignment.plan_id == plan_id)
    rows = (await session.exec(query)).all()
    items = [_item(r) for r in rows]
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max, i.plan_id, i.task_ref, i.unit))


async def reports_owed(
    session: AsyncSession, unit: str, *, offices: bool = False, plan_id: str | None = None
) -> list[ReportOwed]:
    """The periodic reports a unit owes (every period announced, early or late), by deadline."""
    query = select(ReplicaReportOwed).where(_unit_and_offices(ReplicaReportOwed.unit, unit, offices))
    if plan_id is not None:
        query = query.where(ReplicaReportOwed.plan_id == plan_id)
    rows = (await session.exec(query)).all()
    owed = [
        ReportOwed(r.obligation_id, r.unit, r.plan_id, r.period_id, r.window_start, r.window_end, r.deadline)
        for r in rows
    ]
    return sorted(owed, key=lambda o: (o.deadline, o.period_id, o.plan_id or "", o.unit))


async def periods_owed(session: AsyncSession, unit: str, plan_id: str | None) -> list[str]:
    """The period ids a unit owes a report for (on one plan when `plan_id` is given), sorted."""
    return sorted({o.period_id for o in await reports_owed(session, unit, plan_id=plan_id)})


async def _recently_confirmed(
    session: AsyncSession, within: timedelta, plan_id: str | None = None
) -> list[tuple[str, int, bool]]:
    """(plan id, newest version, has reporting duties) of plans confirmed here in the last `within`."""
    query = select(PlanVersion.plan_id, PlanVersion.version, PlanVersion.content).where(
        PlanVersion.confirmed_at >= SYSTEM_CLOCK.now() - within
    )
    if plan_id is not None:
        query = query.where(PlanVersion.plan_id == plan_id)
    newest: dict[str, tuple[int, bool]] = {}
    for pid, version, content in (await session.exec(query)).all():
        if version > newest.get(pid, (0, False))[0]:
            newest[pid] = (version, bool(content.get("reporting")))
    return [(pid, version, duties) for pid, (version, duties) in newest.items()]


async def assignments_may_lag(session: AsyncSession, within: timedelta) -> bool:
    """Whether a plan confirmed here in the last `within` has not reached the replica at its newest version.

    Intake confirms plans itself; tasks answers with task.assigned carrying the plan version. Until the
    replica holds an assignment at that version, an unknown assignment id may simply not have arrived yet.
    """
    for plan_id, version, _duties in await _recently_confirmed(session, within):
        seen = (
            await session.exec(
                select(func.max(ReplicaAssignment.plan_version)).where(ReplicaAssignment.plan_id == plan_id)
            )
        ).one()
        if seen is None or seen < version:
            return True
    return False


async def reports_owed_may_lag(session: AsyncSession, within: timedelta, plan_id: str | None) -> bool:
    """Whether a plan with reporting duties, confirmed here in the last `within`, has no report owed yet."""
    for pid, _version, duties in await _recently_confirmed(session, within, plan_id):
        if not duties:
            continue
        known = (await session.exec(select(func.count()).where(ReplicaReportOwed.plan_id == pid))).one()
        if not known:
            return True
    return False


async def plan_exists(session: AsyncSession, plan_id: str) -> bool:
    """Whether a confirmed plan has this id: confirmed here, or named by a report tasks says is owed."""
    row = await session.get(PlanRecord, plan_id)
    if row is not None and row.version > 0:
        return True
    owed = await session.exec(
        select(ReplicaReportOwed.unit).where(ReplicaReportOwed.plan_id == plan_id).limit(1)
    )
    return owed.first() is not None


__all__: Sequence[str] = (
    "ReportOwed",
    "WorkItem",
    "assignment",
    "assignments_may_lag",
    "assignments_of",
    "periods_owed",
    "plan_exists",
    "reports_owed",
    "reports_owed_may_lag",
)

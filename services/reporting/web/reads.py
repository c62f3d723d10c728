"""The few reads the dashboard needs beyond the compiler's inputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.units import within
from dondoc.kernel.versions import may_report_on
from dondoc.platform.units import unit_or_offices
from services.reporting import queries
from services.reporting.domain.vi import local_date
from services.reporting.models import (
    AssignmentView,
    ExpectedReportView,
    PlanView,
    ReportView,
    ResultView,
    Review,
)


async def plans_of_unit(session: AsyncSession, unit: str) -> list[PlanView]:
    """Plans in which the unit (or one of its offices) holds an assignment, newest first."""
    query = select(AssignmentView.plan_id, AssignmentView.unit).where(
        col(AssignmentView.withdrawn).is_(False),
        unit_or_offices(col(AssignmentView.unit), unit),
    )
    ids = {plan_id for plan_id, code in (await session.exec(query)).all() if within(code, unit)}
    return [p for p in await queries.plans(session) if p.plan_id in ids]


@dataclass(frozen=True)
class Version:
    """One version of a unit's result or periodic report, with the compiler's decision on it."""

    kind: str
    item_id: str
    version: int
    row: ResultView | ReportView
    review: Review | None
    deadline: date | None = None  # a periodic report's send-by deadline, when the calendar announced one

    @property
    def late_days(self) -> int | None:
        """Days after its deadline a report arrived (0: on time); None without a deadline."""
        if self.deadline is None:
            return None
        return max((local_date(self.row.submitted_at) - self.deadline).days, 0)


async def result_versions(session: AsyncSession, assignment: AssignmentView) -> list[Version]:
    """Every version sent for an assignment (by the unit or its offices), newest first."""
    query = select(ResultView).where(col(ResultView.assignment_id) == assignment.assignment_id)
    rows = [r for r in (await session.exec(query)).all() if may_report_on(r.unit, assignment.unit)]
    decided = await queries.reviews(session, "result", (r.result_id for r in rows))
    found = [
        Version("result", r.result_id, r.version, r, decided.get((r.result_id, r.version))) for r in rows
    ]
    return sorted(found, key=lambda v: (v.row.submitted_at, v.version), reverse=True)


async def report_versions(session: AsyncSession, plan_id: str, unit: str) -> list[Version]:
    """The unit's periodic reports for the plan (or naming no plan), newest first."""
    query = select(ReportView).where(
        or_(col(ReportView.plan_id) == plan_id, col(ReportView.plan_id).is_(None)),
        unit_or_offices(col(ReportView.unit), unit),
    )
    rows = [r for r in (await session.exec(query)).all() if within(r.unit, unit)]
    decided = await queries.reviews(session, "report", (r.report_id for r in rows))
    owed = select(ExpectedReportView).where(
        col(ExpectedReportView.plan_id) == plan_id, col(ExpectedReportView.unit).in_({r.unit for r in rows})
    )
    deadlines: dict[tuple[str, str], date] = {}
    for e in (await session.exec(owed)).all():
        deadlines[(e.unit, e.period_id)] = min(e.deadline, deadlines.get((e.unit, e.period_id), e.deadline))
    found = [
        Version(
            "report",
            r.report_id,
            r.version,
            r,
            decided.get((r.report_id, r.version)),
            deadlines.get((r.unit, r.period_id)),
        )
        for r in rows
    ]
    return sorted(found, key=lambda v: (v.row.submitted_at, v.version), reverse=True)


def default_period(periods: list[queries.PeriodInfo], today: date) -> str | None:
    """The latest period already due (its first deadline passed), else the first one."""
    due = [p for p in periods if p.first_deadline <= today]
    if due:
        return due[-1].period_id
    return periods[0].period_id if periods else None

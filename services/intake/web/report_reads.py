"""The periodic reports a unit owes, with where each stands: sent (which version), returned, late, due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake import queries
from services.intake.models import ReportRecord, ReviewSeen
from services.intake.queries import ReportOwed
from services.intake.web.reads import sender_names

NO_PLAN = "-"  # the path segment of a report owed under no plan


@dataclass(frozen=True)
class ReportVersion:
    report_id: str
    version: int
    content: dict[str, object]
    sender: str
    submitted_at: datetime
    decision: str | None
    note: str | None


@dataclass(frozen=True)
class OwedLine:
    owed: ReportOwed
    plan_title: str
    state: str  # sent | returned | overdue | due
    versions: list[ReportVersion]

    @property
    def path(self) -> str:
        return (
            f"/workspace/reports/{self.owed.plan_id or NO_PLAN}/{self.owed.period_id}?unit={self.owed.unit}"
        )


async def owed_lines(session: AsyncSession, unit: str, today: date, offices: bool = True) -> list[OwedLine]:
    """Every report the unit (and its offices) owes, soonest deadline first, with what was sent."""
    owed = await queries.reports_owed(session, unit, offices=offices)
    titles = {i.plan_id: i.plan_title for i in await queries.assignments_of(session, unit)}
    lines = []
    for o in owed:
        history = await report_versions(session, o.unit, o.period_id, o.plan_id)
        if history and history[0].decision == "returned":
            state = "returned"
        elif history:
            state = "sent"
        else:
            state = "overdue" if o.deadline < today else "due"
        lines.append(OwedLine(o, titles.get(o.plan_id or "", ""), state, history))
    return lines


async def report_versions(
    session: AsyncSession, unit: str, period_id: str, plan_id: str | None
) -> list[ReportVersion]:
    """Every version of the unit's report for the period, newest first, with sender and review."""
    rows = (
        await session.exec(
            select(ReportRecord)
            .where(
                ReportRecord.unit == unit,
                ReportRecord.period_id == period_id,
                ReportRecord.plan_id == plan_id,
            )
            .order_by(col(ReportRecord.version).desc())
        )
    ).all()
    ids = [r.id for r in rows]
    reviews = (
        (
            await session.exec(
                select(ReviewSeen).where(ReviewSeen.kind == "report", col(ReviewSeen.item_id).in_(ids))
            )
        ).all()
        if ids
        else []
    )
    decided = {(r.item_id, r.version): (r.decision, r.note) for r in reviews}
    names = await sender_names(session, {r.submitted_by for r in rows})
    return [
        ReportVersion(
            r.id,
            r.version,
            r.content,
            names.get(r.submitted_by, "Hệ thống của đơn vị (khóa truy cập)"),
            r.submitted_at,
            *decided.get((r.id, r.version), (None, None)),
        )
        for r in rows
    ]


__all__ = ["NO_PLAN", "OwedLine", "ReportVersion", "owed_lines", "report_versions"]

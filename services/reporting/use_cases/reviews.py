"""Verify, then aggregate: a compiler accepts a unit's result or report, or returns it for correction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import AlreadyReviewed, NotCompiler, VersionNotFound
from dondoc.platform.uow import UnitOfWork
from services.reporting import queries
from services.reporting.http.schemas import PendingOut, ReviewIn
from services.reporting.models import AssignmentView, PlanView, ReportView, ResultView, Review
from services.reporting.use_cases import access
from shared.events import SubmissionReviewed


async def _subject(uow: UnitOfWork, command: ReviewIn) -> tuple[str, PlanView | None, str | None]:
    """The unit that sent the version, the plan it reports on, and the period of a periodic report."""
    session = uow.session
    if command.kind == "result":
        result = await session.get(ResultView, (command.item_id, command.version))
        if result is None:
            raise VersionNotFound()
        assignment = await session.get(AssignmentView, result.assignment_id)
        plan = await session.get(PlanView, assignment.plan_id) if assignment else None
        return result.unit, plan, None
    report = await session.get(ReportView, (command.item_id, command.version))
    if report is None:
        raise VersionNotFound()
    plan = await session.get(PlanView, report.plan_id) if report.plan_id else None
    return report.unit, plan, report.period_id


@dataclass(frozen=True)
class Decision:
    """The decision on one version; `new` is False when the same decision had been recorded already."""

    kind: str
    item_id: str
    version: int
    unit: str
    decision: str
    note: str | None
    new: bool

    @property
    def subject(self) -> str:
        return f"{self.kind}:{self.item_id}:{self.version}"


async def review(
    uow: UnitOfWork, principal: Principal, command: ReviewIn, reviewer_name: str | None = None
) -> Decision:
    """Record the decision on one version (once: a decision is not silently overturned); `reviewer_name`
    names a person signed in to the dashboard (the audit names them by `principal`)."""
    unit, plan, period_id = await _subject(uow, command)
    if not access.may_compile(principal, plan):
        raise NotCompiler()
    key = (command.kind, command.item_id, command.version)
    held = await uow.session.get(Review, key)
    if held is not None and held.decision != command.decision:
        raise AlreadyReviewed(held.decision)
    now = SYSTEM_CLOCK.now()
    if held is None:
        uow.session.add(
            Review(
                kind=command.kind,
                item_id=command.item_id,
                version=command.version,
                decision=command.decision,
                note=command.note,
                reviewer_key=principal.key_id,
                reviewer_unit=principal.unit,
                reviewer_name=reviewer_name,
                reviewed_at=now,
            )
        )
        uow.emit(
            SubmissionReviewed(
                kind=command.kind,
                item_id=command.item_id,
                version=command.version,
                unit=unit,
                decision=command.decision,
                note=command.note,
                plan_id=plan.plan_id if plan else None,
                reviewed_at=now,
                period_id=period_id,
            ),
            key=unit,
            subject=f"{command.kind}:{command.item_id}:{command.version}",
        )
    note = command.note if held is None else held.note
    return Decision(
        command.kind, command.item_id, command.version, unit, command.decision, note, held is None
    )


async def pending(uow: UnitOfWork, plan_id: str) -> list[PendingOut]:
    """Every result and report version of a plan with its decision so far, newest first."""
    session = uow.session
    units = select(AssignmentView.assignment_id, AssignmentView.plan_id).where(
        col(AssignmentView.plan_id) == plan_id
    )
    assignments = dict((await session.exec(units)).all())
    results = select(ResultView).where(col(ResultView.assignment_id).in_(list(assignments)))
    reports = select(ReportView).where(col(ReportView.plan_id) == plan_id)
    result_rows = list((await session.exec(results)).all())
    report_rows = list((await session.exec(reports)).all())
    decided = {
        (r.kind, r.item_id, r.version): r.decision
        for r in (
            *(await queries.reviews(session, "result", (r.result_id for r in result_rows))).values(),
            *(await queries.reviews(session, "report", (r.report_id for r in report_rows))).values(),
        )
    }
    found = [
        PendingOut(
            kind="result",
            item_id=r.result_id,
            version=r.version,
            unit=r.unit,
            plan_id=plan_id,
            submitted_at=r.submitted_at,
            decision=decided.get(("result", r.result_id, r.version)),
            summary=(r.output or r.narrative or "")[:200],
        )
        for r in result_rows
    ]
    found += [
        PendingOut(
            kind="report",
            item_id=r.report_id,
            version=r.version,
            unit=r.unit,
            plan_id=plan_id,
            submitted_at=r.submitted_at,
            decision=decided.get(("report", r.report_id, r.version)),
            summary=f"Báo cáo kỳ {r.period_id}",
        )
        for r in report_rows
    ]
    return sorted(found, key=lambda p: p.submitted_at, reverse=True)

"""Queries on reporting's store: the compiler's inputs for a plan, the plans and periods there are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.directory import Directory
from dondoc.kernel.versions import Reviewed, counted, may_report_on
from services.reporting.context import ReportingContext
from services.reporting.domain.inputs import (
    Assignment,
    CascadeLink,
    ExpectedReport,
    Plan,
    ReceivedReport,
    ReportingInputs,
    Result,
    Task,
    Unit,
    UnitKind,
)
from services.reporting.models import (
    AssignmentView,
    ExpectedReportView,
    PlanView,
    ReportView,
    ResultView,
    Review,
    metadata,
)
from services.reporting.projections import PLACEHOLDER_REF
from shared.events import PlanReceived, unique_task_refs

_KINDS: dict[str, UnitKind] = {
    "phuong": "phuong",
    "xa": "xa",
    "dac_khu": "dac_khu",
    "department": "department",
    "board": "department",
    "council": "department",
    "office": "department",
    "coordinating_body": "department",
}


async def rows_of(
    session: AsyncSession, model: type[SQLModel], *where: ColumnElement[bool]
) -> Sequence[Row[Any]]:
    """Plain rows of a read-model table: a city's thousands of lines are read without building ORM objects."""
    table = metadata.tables[str(model.__tablename__)]
    return (await session.execute(sa_select(table).where(*where))).all()


def task_id(plan_id: str, ref: str) -> str:
    """A task's id within the submission: its plan and its unique ref."""
    return f"{plan_id}:{ref}"


@dataclass(frozen=True)
class PeriodInfo:
    """A reporting period some unit owes a report for under a plan, as the tasks service announced it."""

    period_id: str
    window_start: date | None
    window_end: date | None
    first_deadline: date
    last_deadline: date
    expected: int


async def directory(session: AsyncSession, ctx: ReportingContext) -> Directory:
    """The directory intake last published, or the packaged one until it has."""
    return await ctx.live.refresh(session)


def unit_of(found: Directory, code: str, fallback_name: str | None = None) -> Unit:
    """A unit as the submission shows it; a code the directory does not know keeps its given name."""
    entry = found.get(code)
    if entry is None:
        return Unit(code=code, name=fallback_name or code, kind="other")
    return Unit(code=code, name=entry.name, kind=_KINDS.get(entry.kind, "other"), parent=entry.parent)


async def plans(session: AsyncSession) -> list[PlanView]:
    """Every plan, newest issued first (those without a date last)."""
    rows = list((await session.exec(select(PlanView))).all())
    return sorted(rows, key=lambda p: (p.issued_on is None, -(p.issued_on or date.min).toordinal(), p.title))


async def periods(session: AsyncSession, plan_id: str) -> list[PeriodInfo]:
    """The reporting periods of a plan, in order."""
    query = select(ExpectedReportView).where(col(ExpectedReportView.plan_id) == plan_id)
    grouped: dict[str, list[ExpectedReportView]] = {}
    for row in (await session.exec(query)).all():
        grouped.setdefault(row.period_id, []).append(row)
    found = []
    for period_id, rows in grouped.items():
        starts = [r.window_start for r in rows if r.window_start]
        ends = [r.window_end for r in rows if r.window_end]
        found.append(
            PeriodInfo(
                period_id=period_id,
                window_start=min(starts) if starts else None,
                window_end=max(ends) if ends else None,
                first_deadline=min(r.deadline for r in rows),
                last_deadline=max(r.deadline for r in rows),
                expected=len({r.unit for r in rows}),
            )
        )
    return sorted(found, key=lambda p: (p.window_end or p.first_deadline, p.period_id))


async def reviews(session: AsyncSession, kind: str, ids: Iterable[str]) -> dict[tuple[str, int], Review]:
    """The decisions on the given items' versions."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    query = select(Review).where(col(Review.kind) == kind, col(Review.item_id).in_(wanted))
    return {(r.item_id, r.version): r for r in (await session.exec(query)).all()}


async def load_inputs(session: AsyncSession, ctx: ReportingContext, plan_id: str) -> ReportingInputs | None:
    """Everything the compiler reads for one plan, from the read model and the reviews."""
    view = await session.get(PlanView, plan_id)
    if view is None:
        return None
    found = await directory(session, ctx)
    plan = PlanReceived.model_validate(view.content)
    tasks = tuple(
        Task(task_id(plan_id, ref), plan_id, ref, t.title, t.timeframe.due, t.timeframe.kind)
        for ref, t in zip(unique_task_refs(plan.tasks), plan.tasks, strict=True)
    )
    rows = await rows_of(
        session,
        AssignmentView,
        col(AssignmentView.plan_id) == plan_id,
        col(AssignmentView.withdrawn).is_(False),
        col(AssignmentView.task_ref) != PLACEHOLDER_REF,
    )
    assignments = tuple(
        Assignment(
            r.assignment_id,
            task_id(plan_id, r.task_ref),
            r.unit,
            "chu_tri" if r.role == "chu_tri" else "phoi_hop",
            r.due,
        )
        for r in sorted(rows, key=lambda r: r.assignment_id)
    )
    owner = {r.assignment_id: r.unit for r in rows}
    results = await _results(session, plan_id, owner, ctx.settings.review_required)
    expected = await _expected(session, plan_id)
    received = await _received(
        session, plan_id, {e.unit_code for e in expected}, ctx.settings.review_required
    )
    links = await _cascade(session, plan_id, tasks, rows)
    names = {r.unit: r.unit_name for r in rows}
    codes = set(names) | {e.unit_code for e in expected} | {link.ward_unit_code for link in links}
    units = tuple(unit_of(found, code, names.get(code)) for code in sorted(codes))
    issuer = unit_of(found, view.issuer_unit, plan.issuer.text) if view.issuer_unit else None
    return ReportingInputs(
        plan=Plan(
            plan_id, view.number, view.title, issuer.name if issuer else plan.issuer.text, view.issued_on
        ),
        tasks=tasks,
        units=units,
        assignments=assignments,
        results=results,
        expected_reports=expected,
        received_reports=received,
        cascade_links=links,
    )


@dataclass(frozen=True)
class _Sent:
    version: int
    sent_at: datetime
    row: Row[Any]


def review_of(review: Review | None) -> Reviewed | None:
    """A stored decision as the shared rule reads it."""
    return None if review is None else Reviewed.stored(review.decision, review.reviewed_at)


async def _results(
    session: AsyncSession, plan_id: str, owner: dict[str, str], review_required: bool
) -> tuple[Result, ...]:
    if not owner:
        return ()
    # A sub-select, not a list of a city's thousands of ids: binding those costs more than the query.
    of_plan = sa_select(col(AssignmentView.assignment_id)).where(col(AssignmentView.plan_id) == plan_id)
    found = await rows_of(session, ResultView, col(ResultView.assignment_id).in_(of_plan))
    # The assigned unit, or a ward's Văn phòng, may report on the assignment; nobody else may (nor on a
    # withdrawn one).
    rows = [r for r in found if r.assignment_id in owner and may_report_on(r.unit, owner[r.assignment_id])]
    decided = await _result_reviews(session, of_plan)
    versions: dict[str, list[_Sent]] = defaultdict(list)
    for r in rows:
        versions[r.assignment_id].append(_Sent(r.version, r.submitted_at, r))

    # One rule (dondoc.kernel.versions) picks the version that counts; tasks applies the same one.
    def decision(v: _Sent) -> Reviewed | None:
        return review_of(decided.get((v.row.result_id, v.version)))

    chosen = {
        id(pick.row) for group in versions.values() if (pick := counted(group, decision, review_required))
    }
    return tuple(
        Result(
            assignment_id=r.assignment_id,
            version=r.version,
            status_reported=r.status,
            completed_on=r.completed_on,
            output=r.output or "",
            narrative=r.narrative or "",
            difficulties=r.difficulties or "",
            proposals=r.proposals or "",
            reported_at=r.submitted_at,
            approved=id(r) in chosen,
        )
        for r in sorted(rows, key=lambda r: (r.assignment_id, r.version, r.result_id))
    )


async def _result_reviews(session: AsyncSession, of_plan: Any) -> dict[tuple[str, int], Review]:
    """The decisions on the plan's results, selected in the database rather than by a list of ids."""
    results = sa_select(col(ResultView.result_id)).where(col(ResultView.assignment_id).in_(of_plan))
    query = select(Review).where(col(Review.kind) == "result", col(Review.item_id).in_(results))
    return {(r.item_id, r.version): r for r in (await session.exec(query)).all()}


async def _expected(session: AsyncSession, plan_id: str) -> tuple[ExpectedReport, ...]:
    earliest: dict[tuple[str, str], date] = {}
    for row in await rows_of(session, ExpectedReportView, col(ExpectedReportView.plan_id) == plan_id):
        key = (row.unit, row.period_id)  # two obligations of one plan still ask for one report
        earliest[key] = min(row.deadline, earliest.get(key, row.deadline))
    return tuple(
        ExpectedReport(unit, period, deadline) for (unit, period), deadline in sorted(earliest.items())
    )


async def _received(
    session: AsyncSession, plan_id: str, units: set[str], review_required: bool
) -> tuple[ReceivedReport, ...]:
    # A report that names no plan answers for every plan the unit owes that period.
    either = or_(col(ReportView.plan_id) == plan_id, col(ReportView.plan_id).is_(None))
    rows = [r for r in await rows_of(session, ReportView, either) if r.plan_id == plan_id or r.unit in units]
    decided = await reviews(session, "report", (r.report_id for r in rows))
    versions: dict[tuple[str, str, str | None], list[_Sent]] = defaultdict(list)
    for r in rows:
        versions[(r.unit, r.period_id, r.plan_id)].append(_Sent(r.version, r.submitted_at, r))

    def decision(v: _Sent) -> Reviewed | None:
        return review_of(decided.get((v.row.report_id, v.version)))

    # The same rule as results' (dondoc.kernel.versions): the report version put forward last counts.
    chosen = {
        id(pick.row) for group in versions.values() if (pick := counted(group, decision, review_required))
    }
    return tuple(
        ReceivedReport(
            unit_code=r.unit,
            period_id=r.period_id,
            received_at=r.submitted_at,
            approved=id(r) in chosen,
            narrative=r.narrative or "",
            difficulties=r.difficulties or "",
            proposals=r.proposals or "",
        )
        for r in sorted(rows, key=lambda r: (r.unit, r.period_id, r.version, r.report_id))
    )


async def _cascade(
    session: AsyncSession, plan_id: str, tasks: tuple[Task, ...], assigned: Sequence[Row[Any]]
) -> tuple[CascadeLink, ...]:
    """Ward plans implementing this plan: by the tasks they name, else every task the ward was given."""
    query = select(PlanView).where(col(PlanView.implements_plan_id) == plan_id)
    known = {t.ref for t in tasks}
    links: set[CascadeLink] = set()
    for ward_plan in (await session.exec(query)).all():
        ward = ward_plan.issuer_unit
        if ward is None:
            continue
        number = ward_plan.number or ward_plan.title
        content = PlanReceived.model_validate(ward_plan.content)
        named = {t.implements_task_ref for t in content.tasks if t.implements_task_ref in known}
        refs = named or {r.task_ref for r in assigned if r.unit == ward}
        links.update(CascadeLink(task_id(plan_id, ref), ward, number) for ref in refs if ref)
    return tuple(
        sorted(links, key=lambda link: (link.city_task_id, link.ward_unit_code, link.ward_plan_number))
    )

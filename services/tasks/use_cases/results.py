"""Results from units move assignments' statuses; periodic reports are noted for the reporting calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Insert, Select, and_, bindparam, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from dondoc.kernel.clock import vietnam_date
from dondoc.kernel.versions import Reviewed, completion, counted, may_report_on, reporters_of
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.domain.deadlines import deadline_for, rule_for
from services.tasks.domain.periods import PeriodKind, ReportingPeriod, period_containing
from services.tasks.domain.status import judge, judge_period
from services.tasks.models import (
    Assignment,
    PeriodStatus,
    ReportReceipt,
    ResultRecord,
    ResultReview,
    metadata,
)
from shared.events import ReportSubmitted, ResultSubmitted, TaskStatusChanged

PERIODIC_KINDS = ("ongoing", "recurring")


def period_kind(row: Assignment, ctx: TasksContext) -> PeriodKind:
    """The period an ongoing/recurring assignment is judged by: its first recurrence, else the setting."""
    kinds = [k for k in row.recurrence if k in ("monthly", "quarterly", "semiannual", "ninemonth", "annual")]
    return cast(PeriodKind, kinds[0] if kinds else ctx.settings.ongoing_period_kind)


def period_deadline(row: Assignment, period: ReportingPeriod, ctx: TasksContext) -> date:
    """The send-by deadline of the assignment's unit for one period (lower levels earlier)."""
    return deadline_for(period, rule_for(period.kind), ctx.directory.level_of(row.unit), ctx.calendar)


def status_event(
    row: Assignment, new: str, previous: str | None, today: date, period_id: str | None = None
) -> TaskStatusChanged:
    """The `task.status_changed` for an assignment (or one of its periods)."""
    return TaskStatusChanged(
        assignment_id=row.id,
        unit=row.unit,
        status=new,
        previous_status=previous,
        completed_on=row.completed_on,
        as_of=today,
        period_id=period_id,
    )


async def on_result_submitted(uow: UnitOfWork, event: ResultSubmitted, ctx: TasksContext) -> None:
    """Record the result; the version that counts (dondoc.kernel.versions) moves the status, by dates only."""
    session = uow.session
    query = select(Assignment).where(col(Assignment.id) == event.assignment_id).with_for_update()
    row = (await session.exec(query)).first()
    connection = await session.connection()
    recorded = await connection.execute(
        _record_once(connection.dialect.name),
        {
            "result_id": event.result_id,
            "version": event.version,
            "assignment_id": event.assignment_id,
            "unit": event.unit,
            "role": row.role if row else None,
            "status": event.status,
            "completed_on": event.completed_on,
            "output": event.output,
            "narrative": event.narrative,
            "submitted_at": event.submitted_at,
        },
    )
    if recorded.rowcount == 0 or row is None or row.withdrawn:
        return  # a version recorded before; or kept as a record (catch_up applies it if its assignment comes)
    await catch_up(uow, row, ctx)


@cache
def _record_once(dialect: str) -> Insert:
    """`INSERT … ON CONFLICT DO NOTHING` of a result version: no row written when it was recorded before."""
    table = metadata.tables["results"]
    made = sqlite_insert(table) if dialect == "sqlite" else postgresql_insert(table)
    return made.on_conflict_do_nothing(index_elements=["result_id", "version"])


async def early_results(uow: UnitOfWork, assignment_ids: Sequence[str]) -> dict[str, list[ResultRecord]]:
    """Results recorded for the assignments, newest first, for many assignments in a few queries.

    A plan fans out to thousands of assignments at once: one query per assignment (each flushing the rows
    added before it) cost more than the assignments themselves.
    """
    found: dict[str, list[ResultRecord]] = {}
    for start in range(0, len(assignment_ids), 500):  # bounded IN lists
        query = (
            select(ResultRecord)
            .where(col(ResultRecord.assignment_id).in_(assignment_ids[start : start + 500]))
            .order_by(col(ResultRecord.submitted_at).desc())
        )
        for record in (await uow.session.exec(query)).all():
            found.setdefault(record.assignment_id, []).append(record)
    return found


@dataclass(frozen=True, slots=True)
class _Sent:
    """One version of an assignment's result as `counted` weighs it, with its latest review."""

    result_id: str
    version: int
    status: str
    completed_on: date | None
    sent_at: datetime
    review: Reviewed | None


async def catch_up(
    uow: UnitOfWork, row: Assignment, ctx: TasksContext, records: Sequence[ResultRecord] | None = None
) -> None:
    """Judge the assignment by the version that counts now: after a result, a review, or a late assignment.

    `records` are the assignment's results, when the caller fetched them for many at once. The rule is the
    one reporting applies (dondoc.kernel.versions), so both say the same status.
    """
    review_required = ctx.settings.review_required
    if records is None:
        sent = await _candidates(uow, row, review_required)
    else:
        mine = [r for r in records if may_report_on(r.unit, row.unit)]
        decided = await _reviews(uow, [(r.result_id, r.version) for r in mine])
        sent = [
            _Sent(
                r.result_id,
                r.version,
                r.status,
                r.completed_on,
                _aware(r.submitted_at),
                decided.get((r.result_id, r.version)),
            )
            for r in mine
        ]
    pick = counted(sent, lambda s: s.review, review_required)
    if pick is not None:
        done = completion(pick.status, pick.completed_on)
        if done is not None and done > ctx.today():
            done = None  # a completion dated in the future is not one yet (reporting judges it alike)
        if row.timeframe_kind in PERIODIC_KINDS:  # a period is reported on the day the result states
            await _apply(uow, row, pick.status, pick.completed_on or vietnam_date(pick.sent_at), ctx)
        else:
            await _apply(uow, row, "hoan_thanh" if done else "dang_thuc_hien", done or ctx.today(), ctx)
    elif row.timeframe_kind not in PERIODIC_KINDS and (row.completed_on is not None or sent):
        await _apply(uow, row, "dang_thuc_hien", ctx.today(), ctx)  # nothing counts: judged as unreported


async def _candidates(uow: UnitOfWork, row: Assignment, review_required: bool) -> list[_Sent]:
    """The assignment's versions that can count: each accepted one and, unless reviews are required, the
    newest sent that was not returned (ties to the higher version).

    Any other version is put forward at its arrival at most, no later than that newest one, so `counted`
    over these picks what it would pick over all of them (dondoc.kernel.versions), and a result's cost no
    longer grows with the versions its assignment already has.
    """
    accepted, newest = _candidate_queries()
    given = {"assignment": row.id, "senders": list(reporters_of(row.unit))}
    found: dict[tuple[str, int], _Sent] = {}
    for query in (accepted, newest) if not review_required else (accepted,):
        for r in await uow.session.execute(query, given):
            review = _review(r.decision, r.reviewed_at)
            found[(r.result_id, r.version)] = _Sent(
                r.result_id, r.version, r.status, r.completed_on, _aware(r.submitted_at), review
            )
    return list(found.values())


@cache
def _candidate_queries() -> tuple[Select[Any], Select[Any]]:
    """The two look-ups of `_candidates`, built once: the accepted versions, and the newest not returned."""
    results, reviews = metadata.tables["results"], metadata.tables["result_reviews"]
    columns = [results.c[name] for name in ("result_id", "version", "status", "completed_on", "submitted_at")]
    columns += [reviews.c.decision, reviews.c.reviewed_at]
    on = and_(reviews.c.result_id == results.c.result_id, reviews.c.version == results.c.version)
    mine = and_(
        results.c.assignment_id == bindparam("assignment"),
        results.c.unit.in_(bindparam("senders", expanding=True)),
    )
    accepted = (
        select(*columns).select_from(results.join(reviews, on)).where(mine, reviews.c.decision == "accepted")
    )
    newest = (
        select(*columns)
        .select_from(results.outerjoin(reviews, on))
        .where(mine, or_(reviews.c.decision.is_(None), reviews.c.decision != "returned"))
        .order_by(results.c.submitted_at.desc(), results.c.version.desc())
        .limit(1)
    )
    return accepted, newest


def _review(decision: str | None, at: datetime | None) -> Reviewed | None:
    if at is not None and decision in ("accepted", "returned"):
        return Reviewed("accepted" if decision == "accepted" else "returned", at)
    return None


async def _reviews(uow: UnitOfWork, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Reviewed]:
    if not keys:
        return {}
    query = select(ResultReview).where(col(ResultReview.result_id).in_({k[0] for k in keys}))
    found: dict[tuple[str, int], Reviewed] = {}
    for r in (await uow.session.exec(query)).all():
        if (review := _review(r.decision, r.reviewed_at)) is not None:
            found[(r.result_id, r.version)] = review
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back naive datetimes


async def _apply(uow: UnitOfWork, row: Assignment, status: str, reported: date, ctx: TasksContext) -> None:
    """Move the assignment's status by the completion date and the due date, never by arrival time."""
    today = ctx.today()
    if row.timeframe_kind in PERIODIC_KINDS:
        await _report_period(uow, row, reported, today, ctx)
        return
    row.completed_on = reported if status == "hoan_thanh" else None
    new = judge(row.due, row.start, row.completed_on, today).code
    if new != row.status:
        uow.emit(status_event(row, new, row.status, today), key=row.unit, subject=row.id)
        row.status = new
    row.updated_at = ctx.now()
    uow.session.add(row)


async def _report_period(uow: UnitOfWork, row: Assignment, day: date, today: date, ctx: TasksContext) -> None:
    period = period_containing(period_kind(row, ctx), day)
    if period is None:
        return
    record = await uow.session.get(PeriodStatus, (row.id, period.id))
    if record is None:
        record = new_period_status(row, period, today, ctx)
    if record.reported_on is not None and record.reported_on <= day:
        return
    previous = record.status
    record.reported_on = day
    record.status = judge_period(period, day, today, deadline=record.deadline).code
    record.updated_at = ctx.now()
    uow.session.add(record)
    if record.status != previous:
        uow.emit(status_event(row, record.status, previous, today, period.id), key=row.unit, subject=row.id)


def new_period_status(
    row: Assignment, period: ReportingPeriod, today: date, ctx: TasksContext
) -> PeriodStatus:
    """A period row for an ongoing/recurring assignment, judged with no report yet."""
    deadline = period_deadline(row, period, ctx)
    return PeriodStatus(
        assignment_id=row.id,
        period_id=period.id,
        unit=row.unit,
        window_start=period.window_start,
        window_end=period.window_end,
        deadline=deadline,
        status=judge_period(period, None, today, deadline=deadline).code,
        updated_at=ctx.now(),
    )


async def on_report_submitted(uow: UnitOfWork, event: ReportSubmitted, ctx: TasksContext) -> None:
    """Note that a unit reported for a period, so report.missed never fires for it."""
    if await uow.session.get(ReportReceipt, event.report_id) is not None:
        return  # a later version of the same report: the first submission day counts
    uow.session.add(
        ReportReceipt(
            report_id=event.report_id,
            unit=event.unit,
            period_id=event.period_id,
            plan_id=event.plan_id,
            submitted_on=vietnam_date(event.submitted_at),
        )
    )

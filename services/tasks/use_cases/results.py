"""Results from units move assignments' statuses; periodic reports are noted for the reporting calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlmodel import col, select

from dondoc.kernel.clock import as_utc, vietnam_date
from dondoc.kernel.versions import Reviewed, completion, counted, may_report_on
from dondoc.platform.bulk import bulk_writer, connection_of
from dondoc.platform.db import driver_rows
from dondoc.platform.subscriptions import Received
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.domain.deadlines import deadline_for, rule_for
from services.tasks.domain.periods import PeriodKind, ReportingPeriod, period_containing
from services.tasks.domain.status import judge, judge_period
from services.tasks.models import Assignment, PeriodStatus, ReportReceipt, ResultRecord, metadata
from services.tasks.use_cases import counting
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


# A batch's results share what `prefetch_results` loaded: their assignments (locked) and, per live one, the
# versions that can count, kept current as the batch's own versions are recorded (dondoc.platform.uow memo).
_ROWS, _COUNTING, _EARLY = "tasks.results.rows", "tasks.results.counting", "tasks.results.early_reviews"


def _rows(uow: UnitOfWork) -> dict[str, Assignment]:
    return uow.memo(_ROWS, dict[str, Assignment])


def _counting(uow: UnitOfWork) -> dict[str, dict[counting.Key, counting.Sent]]:
    return uow.memo(_COUNTING, dict[str, dict[counting.Key, counting.Sent]])


def _early(uow: UnitOfWork) -> dict[counting.Key, Reviewed]:
    return uow.memo(_EARLY, dict[counting.Key, Reviewed])


async def prefetch_results(
    uow: UnitOfWork, events: Sequence[Received[ResultSubmitted]], ctx: TasksContext
) -> None:
    """What a batch of results looks up, in a few queries rather than a few per result: their assignments
    (locked in one order), the versions of each that can count, and decisions already taken on the batch's
    own versions (a review may come before its result)."""
    ids = sorted({e.event.assignment_id for e in events})
    rows = _rows(uow)
    for start in range(0, len(ids), 500):  # bounded IN lists
        query = select(Assignment).where(col(Assignment.id).in_(ids[start : start + 500]))
        for row in (await uow.session.exec(query.order_by(col(Assignment.id)).with_for_update())).all():
            rows[row.id] = row
    live = [rows[i] for i in ids if i in rows and not rows[i].withdrawn]
    _counting(uow).update(await counting.candidates(uow, live, ctx.settings.review_required))
    _early(uow).update(await counting.reviews(uow, ((e.event.result_id, e.event.version) for e in events)))


def forget_prefetched(uow: UnitOfWork) -> None:
    """A review handled in the batch changed what can count: its later results read the store again."""
    _counting(uow).clear()
    _early(uow).clear()


async def on_result_submitted(uow: UnitOfWork, event: ResultSubmitted, ctx: TasksContext) -> None:
    """Record the result; the version that counts (dondoc.kernel.versions) moves the status, by dates only."""
    session = uow.session
    row = _rows(uow).get(event.assignment_id)
    if row is None:  # not prefetched (handled alone), or absent when the batch began
        query = select(Assignment).where(col(Assignment.id) == event.assignment_id).with_for_update()
        row = (await session.exec(query)).first()
    connection = await connection_of(session)
    bulk = bulk_writer(connection.dialect)
    table = metadata.tables["results"]
    recorded = await driver_rows(  # through the driver: SQLAlchemy's execution cost more than the insert
        session,
        _RECORD_ONCE,
        event.result_id,
        event.version,
        event.assignment_id,
        event.unit,
        row.role if row else None,
        event.status,
        bulk.value(table.c.completed_on, event.completed_on),
        event.output,
        event.narrative,
        bulk.value(table.c.submitted_at, event.submitted_at),
    )
    if not recorded or row is None or row.withdrawn:
        return  # a version recorded before; or kept as a record (catch_up applies it if its assignment comes)
    known = _counting(uow).get(row.id)
    if known is None:
        await catch_up(uow, row, ctx)
        return
    if may_report_on(event.unit, row.unit):
        key = (event.result_id, event.version)
        review = _early(uow).get(key)
        known[key] = counting.Sent(*key, event.status, event.completed_on, as_utc(event.submitted_at), review)
    await _judge(uow, row, ctx, list(known.values()))


# A result version, once: no row (and no row returned) when it was recorded before. Plain values only
# (dondoc.platform.db.driver_rows); the dates go as the columns' types store them (`BulkWriter.value`).
_RECORD_ONCE = (
    'INSERT INTO results (result_id, "version", assignment_id, unit, "role", status, completed_on, "output", '
    "narrative, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    'ON CONFLICT (result_id, "version") DO NOTHING RETURNING 1'
)


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


async def catch_up(
    uow: UnitOfWork, row: Assignment, ctx: TasksContext, records: Sequence[ResultRecord] | None = None
) -> None:
    """Judge the assignment by the version that counts now: after a result, a review, or a late assignment.

    `records` are the assignment's results, when the caller fetched them for many at once. The rule is the
    one reporting applies (dondoc.kernel.versions), so both say the same status.
    """
    if records is None:
        found = await counting.candidates(uow, [row], ctx.settings.review_required)
        await _judge(uow, row, ctx, list(found[row.id].values()))
        return
    mine = [r for r in records if may_report_on(r.unit, row.unit)]
    decided = await counting.reviews(uow, [(r.result_id, r.version) for r in mine])
    sent = [
        counting.Sent(
            r.result_id,
            r.version,
            r.status,
            r.completed_on,
            as_utc(r.submitted_at),
            decided.get((r.result_id, r.version)),
        )
        for r in mine
    ]
    await _judge(uow, row, ctx, sent)


async def _judge(uow: UnitOfWork, row: Assignment, ctx: TasksContext, sent: Sequence[counting.Sent]) -> None:
    """Apply the version that counts among `sent` (the assignment's versions that can count)."""
    pick = counted(sent, lambda s: s.review, ctx.settings.review_required)
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


async def _apply(uow: UnitOfWork, row: Assignment, status: str, reported: date, ctx: TasksContext) -> None:
    """Move the assignment's status by the completion date and the due date, never by arrival time."""
    today = ctx.today()
    if row.timeframe_kind in PERIODIC_KINDS:
        await _report_period(uow, row, reported, today, ctx)
        return
    completed_on = reported if status == "hoan_thanh" else None
    new = judge(row.due, row.start, completed_on, today).code
    if (new, completed_on) == (row.status, row.completed_on):
        return  # a result that changes nothing leaves the row as it was (no write, updated_at kept)
    row.completed_on = completed_on
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

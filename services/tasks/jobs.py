"""Time passing: deadline reminders, overdue notices, statuses by date and the reporting calendar, once each.

Exactly once across restarts, crashes and instances: every fired key goes into `fired_reminders`
(primary key) in the same transaction as the outbox rows of its events. A second instance computing
the same batch fails on that insert and rolls back, so nothing is doubled; on PostgreSQL the tick also
takes a transaction-scoped advisory lock, so concurrent ticks simply skip.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import insert, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, select

from dondoc.platform.jobs import Job
from dondoc.platform.runtime import Runtime
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext, TasksRuntime
from services.tasks.domain.announcements import Announcement, plan_announcements
from services.tasks.domain.periods import ReportingPeriod, period_containing
from services.tasks.domain.reminders import (
    ReportReminder,
    TaskReminder,
    due_reminders,
    report_reminders,
)
from services.tasks.domain.status import judge, judge_period
from services.tasks.metrics import DomainMetrics
from services.tasks.models import Assignment, FiredReminder, Obligation, PeriodStatus
from services.tasks.use_cases import obligations
from services.tasks.use_cases.results import PERIODIC_KINDS, new_period_status, period_kind, status_event
from shared.events import DeadlineNear, ReportDue, ReportExpected, ReportMissed, TaskOverdue

log = logging.getLogger(__name__)
_TICK_LOCK = 0x7461736B73  # "tasks": one tick at a time per PostgreSQL store


@dataclass
class TickOutcome:
    """What one tick did (answered by POST /admin/tick)."""

    today: date
    ran: bool = True
    sent: dict[str, int] = field(default_factory=dict)
    status_changes: int = 0

    def count(self, kind: str) -> None:
        """Count one event sent."""
        self.sent[kind] = self.sent.get(kind, 0) + 1


@dataclass(frozen=True)
class _Open:
    assignment_id: str
    unit: str
    due: date | None


async def tick(runtime: Runtime, ctx: TasksContext) -> TickOutcome:
    """One tick at the clock's today; a concurrent tick elsewhere makes this one a no-op."""
    today = ctx.today()
    outcome = TickOutcome(today)
    try:
        async with runtime.uow() as uow:
            if runtime.engine.dialect.name == "postgresql":
                lock = text("SELECT pg_try_advisory_xact_lock(:k)")
                if not (await uow.session.execute(lock, {"k": _TICK_LOCK})).scalar():
                    return TickOutcome(today, ran=False)
            await _tick_in(uow, ctx, today, outcome)
            await uow.commit()
    except (IntegrityError, OperationalError) as exc:  # another instance fired the same keys first
        log.info("tick lost a race, nothing sent", extra={"error": str(exc)[:200]})
        return TickOutcome(today, ran=False)
    return outcome


async def _tick_in(uow: UnitOfWork, ctx: TasksContext, today: date, outcome: TickOutcome) -> None:
    session = uow.session
    fired = set((await session.exec(select(FiredReminder.key))).all())
    query = select(Assignment).where(
        col(Assignment.withdrawn).is_(False), col(Assignment.completed_on).is_(None)
    )
    rows = list((await session.exec(query)).all())
    dated = [r for r in rows if r.timeframe_kind not in PERIODIC_KINDS]
    working = ctx.settings.reminder_days_kind == "working"
    s = ctx.settings
    tasks = due_reminders(
        [_Open(r.id, r.unit, r.due) for r in dated],
        s.reminder_offsets_working_days if working else s.reminder_offsets_days,
        today=today,
        calendar=ctx.calendar,
        fired=fired,
        skip_days_off=s.skip_days_off,
        working_days=working,
    )
    for reminder in tasks.send:
        _emit_task(uow, reminder, outcome)
    announce, owed = plan_announcements(await obligations.reports_owed(uow, ctx, today), fired)
    reports = report_reminders(
        owed, today=today, lead_days=ctx.settings.report_lead_days, calendar=ctx.calendar, fired=fired
    )
    plan_of = {o.obligation_id: o.plan_id for o in (await session.exec(select(Obligation))).all()}
    expected = _emit_expected(uow, announce, plan_of, outcome)
    for notice in reports.send:
        _emit_report(uow, notice, plan_of.get(notice.obligation_id), outcome)
    now = ctx.now()
    await _record(uow, now, tasks.send, tasks.skipped, reports.send, reports.skipped, expected)
    await _judge_dated(uow, dated, today, now, outcome)
    await _judge_periods(uow, [r for r in rows if r.timeframe_kind in PERIODIC_KINDS], ctx, today, outcome)


def _emit_task(uow: UnitOfWork, reminder: TaskReminder, outcome: TickOutcome) -> None:
    if reminder.kind == "overdue":
        event: DeadlineNear | TaskOverdue = TaskOverdue(
            assignment_id=reminder.assignment_id, unit=reminder.unit, due=reminder.due
        )
    else:
        event = DeadlineNear(
            assignment_id=reminder.assignment_id,
            unit=reminder.unit,
            due=reminder.due,
            days_left=reminder.days_left,
            offset_days=reminder.offset_days or 0,
            working_days_left=reminder.working_days_left,
        )
    uow.emit(event, key=reminder.unit, subject=reminder.assignment_id)
    outcome.count(event.topic)


def _emit_expected(
    uow: UnitOfWork, announce: Sequence[Announcement], plan_of: dict[str, str], outcome: TickOutcome
) -> list[str]:
    """report.expected once per owed report and again whenever its deadline moves (counting needs each)."""
    for announcement in announce:
        item = announcement.item
        event = ReportExpected(
            obligation_id=item.obligation_id,
            unit=item.unit,
            period_id=item.period.id,
            window_start=item.period.window_start,
            window_end=item.period.window_end,
            deadline=item.deadline,
            plan_id=plan_of.get(item.obligation_id),
        )
        uow.emit(event, key=item.unit, subject=f"{item.obligation_id}:{item.period.id}")
        outcome.count(event.topic)
    return [a.key for a in announce]


def _emit_report(uow: UnitOfWork, notice: ReportReminder, plan_id: str | None, outcome: TickOutcome) -> None:
    event: ReportDue | ReportMissed
    if notice.kind == "report.due":
        event = ReportDue(
            obligation_id=notice.obligation_id,
            unit=notice.unit,
            period_id=notice.period.id,
            window_start=notice.period.window_start,
            window_end=notice.period.window_end,
            deadline=notice.deadline,
            plan_id=plan_id,
        )
    else:
        event = ReportMissed(
            obligation_id=notice.obligation_id,
            unit=notice.unit,
            period_id=notice.period.id,
            deadline=notice.deadline,
            plan_id=plan_id,
            window_start=notice.period.window_start,
            window_end=notice.period.window_end,
        )
    uow.emit(event, key=notice.unit, subject=f"{notice.obligation_id}:{notice.period.id}")
    outcome.count(event.topic)


async def _record(
    uow: UnitOfWork,
    now: datetime,
    sent_tasks: Sequence[TaskReminder],
    skipped_tasks: Sequence[TaskReminder],
    sent_reports: Sequence[ReportReminder],
    skipped_reports: Sequence[ReportReminder],
    expected: Sequence[str] = (),
) -> None:
    """Insert every fired key; a key another instance already inserted fails the whole tick (rollback)."""
    rows = [{"key": key, "kind": "report.expected", "sent": True, "fired_at": now} for key in expected]
    rows += [
        {"key": r.key, "kind": r.kind, "sent": sent, "fired_at": now}
        for group, sent in (
            (sent_tasks, True),
            (skipped_tasks, False),
            (sent_reports, True),
            (skipped_reports, False),
        )
        for r in group
    ]
    if rows:
        await uow.session.execute(insert(FiredReminder), rows)


async def _swap_status(uow: UnitOfWork, assignment_id: str, old: str, new: str, now: datetime) -> bool:
    """Compare-and-set, so two ticks (or a tick and a result) never announce the same change twice."""
    statement = (
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, col(Assignment.status) == old)
        .values(status=new, updated_at=now)
    )
    result = await uow.session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def _judge_dated(
    uow: UnitOfWork, rows: Sequence[Assignment], today: date, now: datetime, outcome: TickOutcome
) -> None:
    for row in rows:
        new = judge(row.due, row.start, None, today).code
        if new != row.status and await _swap_status(uow, row.id, row.status, new, now):
            uow.emit(status_event(row, new, row.status, today), key=row.unit, subject=row.id)
            outcome.status_changes += 1


def _periods_to_judge(row: Assignment, ctx: TasksContext, today: date) -> list[ReportingPeriod]:
    kind = period_kind(row, ctx)
    current = period_containing(kind, today)
    if current is None:
        previous = period_containing(kind, today - timedelta(days=92))
        return [previous] if previous else []
    before = period_containing(kind, current.window_start - timedelta(days=1))
    return [p for p in (before, current) if p is not None]


async def _judge_periods(
    uow: UnitOfWork, rows: Sequence[Assignment], ctx: TasksContext, today: date, outcome: TickOutcome
) -> None:
    """Ongoing and recurring assignments: keep the current and previous period's status up to date."""
    if not rows:
        return
    ids = [r.id for r in rows]
    stored = {
        (p.assignment_id, p.period_id): p
        for p in (
            await uow.session.exec(select(PeriodStatus).where(col(PeriodStatus.assignment_id).in_(ids)))
        ).all()
    }
    for row in rows:
        for period in _periods_to_judge(row, ctx, today):
            if period.window_start > today or (row.start and period.window_end < row.start):
                continue
            record = stored.get((row.id, period.id))
            if record is None:
                fresh = new_period_status(row, period, today, ctx)
                # a period whose report was due before the unit had the task is none of its business
                if row.assigned_on is None or fresh.deadline >= row.assigned_on:
                    uow.session.add(fresh)
                continue
            new = judge_period(period, record.reported_on, today, deadline=record.deadline).code
            if new != record.status and await _swap_period(uow, record, new, ctx.now()):
                uow.emit(
                    status_event(row, new, record.status, today, period.id), key=row.unit, subject=row.id
                )
                outcome.status_changes += 1


async def _swap_period(uow: UnitOfWork, record: PeriodStatus, new: str, now: datetime) -> bool:
    statement = (
        update(PeriodStatus)
        .where(
            col(PeriodStatus.assignment_id) == record.assignment_id,
            col(PeriodStatus.period_id) == record.period_id,
            col(PeriodStatus.status) == record.status,
        )
        .values(status=new, updated_at=now)
    )
    result = await uow.session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


TICKER = "tasks-ticker"


def ticker(ctx: TasksContext, metrics: DomainMetrics) -> Job[TasksRuntime]:
    """A tick every `tick_seconds` (the first one interval after the start), the gauges refreshed after it.

    POST /admin/tick runs a round of it at once (`runtime.jobs.run_now(TICKER)`).
    """

    async def run_once(runtime: TasksRuntime) -> TickOutcome:
        outcome = await tick(runtime, ctx)
        await metrics.refresh(runtime)
        return outcome

    return Job(
        TICKER,
        ctx.settings.tick_seconds,
        run_once,
        enabled=ctx.settings.ticker_enabled,
        wait_first=True,
        on_start=metrics.refresh,  # the gauges are filled at start, ticker or not
    )

"""Which reminders are due today: deadline.near / overdue for tasks, report.due / report.missed for reports.

Pure and idempotent: the caller passes the keys already fired (persisted with the events it
publishes) and records `batch.keys()` in the same transaction as the outbox rows.

Catching up: when ticks were missed (the service was down on the 7-day mark and it is now 2 days
before), only the most urgent reminder whose day has come is sent and the older ones are marked
skipped. Sending all of them at once would tell a unit "7 days left", "3 days left" in one burst
when 2 remain: noise that teaches people to ignore reminders. Recording the skipped keys means they
can never fire later either. Once the due date has passed, every unsent deadline.near is skipped and
only the overdue notice goes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, Literal, Protocol, TypeVar

from services.tasks.domain.calendar import WorkCalendar
from services.tasks.domain.periods import ReportingPeriod

DEFAULT_OFFSETS = (7, 3, 1)
DEFAULT_REPORT_LEAD_DAYS = (3, 1)


class Keyed(Protocol):
    """Anything with an idempotency key."""

    @property
    def key(self) -> str: ...


R = TypeVar("R", bound=Keyed)


class OpenAssignment(Protocol):
    """An assignment not yet completed: `AssignmentSpec` or the store's row fits."""

    @property
    def assignment_id(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def due(self) -> date | None: ...


class ReportObligation(Protocol):
    """One unit's report for one period, with its send-by deadline (see `ReportDueDate`)."""

    @property
    def obligation_id(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def period(self) -> ReportingPeriod: ...
    @property
    def deadline(self) -> date: ...
    @property
    def reported_on(self) -> date | None: ...
    @property
    def revision(self) -> int: ...


@dataclass(frozen=True)
class ReportDueDate:
    """A unit's report owed for a period under an obligation (báo cáo định kỳ)."""

    obligation_id: str
    unit: str
    period: ReportingPeriod
    deadline: date
    reported_on: date | None = None
    revision: int = 1  # how many deadlines were announced for it (see `announcements`)


@dataclass(frozen=True)
class TaskReminder:
    """A deadline.near or overdue notice for one assignment (maps to DeadlineNear / TaskOverdue)."""

    kind: Literal["deadline.near", "overdue"]
    key: str
    assignment_id: str
    unit: str
    due: date
    days_left: int  # as of today; negative once overdue
    offset_days: int | None  # the reminder mark; None for overdue
    working_days_left: int | None = None  # when the marks count working days


@dataclass(frozen=True)
class ReportReminder:
    """A report.due or report.missed notice for one unit's periodic report."""

    kind: Literal["report.due", "report.missed"]
    key: str
    obligation_id: str
    unit: str
    period: ReportingPeriod
    deadline: date
    days_left: int
    lead_days: int | None  # working days before the deadline; None for missed


@dataclass(frozen=True)
class ReminderBatch(Generic[R]):
    """Reminders to send now, and stale ones to record as fired without sending."""

    send: list[R] = field(default_factory=list)
    skipped: list[R] = field(default_factory=list)

    def keys(self) -> set[str]:
        """Every key to add to the fired set, in the transaction that stores the sent events."""
        return {r.key for r in self.send} | {r.key for r in self.skipped}


def due_reminders(
    assignments_open: Iterable[OpenAssignment],
    offsets: Sequence[int] = DEFAULT_OFFSETS,
    *,
    today: date,
    calendar: WorkCalendar,
    fired: Set[str],
    skip_days_off: bool = True,
    working_days: bool = False,
) -> ReminderBatch[TaskReminder]:
    """deadline.near reminders whose day has come (due − offset) and overdue the day after the due date.

    With `skip_days_off`, a deadline.near mark on a day off moves to the previous working day, the
    overdue notice to the next working day, and nothing is sent on a day off at all (a missed one
    catches up on the next working day). With `working_days` the offsets count working days before
    the due date (3 = three office days, a weekend or Tết in between not counted), keyed apart from
    calendar-day marks so switching the setting never re-sends or swallows one.
    """
    _check_offsets(offsets)
    batch: ReminderBatch[TaskReminder] = ReminderBatch()
    if skip_days_off and not calendar.is_working_day(today):
        return batch
    for item in assignments_open:
        due = item.due
        if due is None:
            continue
        near = {o: _near_key(item.assignment_id, o, working_days) for o in offsets}
        if today > due:
            batch.skipped.extend(
                _near(item, due, today, o, working_days) for o, k in near.items() if k not in fired
            )
            if f"overdue:{item.assignment_id}" not in fired:
                batch.send.append(_overdue(item, due, today))
            continue
        if working_days:
            # The o-th working day before the due date (a due date on a day off counts from the one before).
            last = calendar.previous_working_day(due, inclusive=True)
            marks = {o: calendar.add_working_days(last, -o) for o in offsets}
        else:
            marks = {o: _shift_off_day(due - timedelta(days=o), calendar, skip_days_off) for o in offsets}
        send, skip = _pick(marks, near, today, fired)
        left = calendar.working_days_until(today, due) if working_days else None
        batch.send.extend(_near(item, due, today, o, working_days, left) for o in send)
        batch.skipped.extend(_near(item, due, today, o, working_days, left) for o in skip)
    return batch


def report_reminders(
    obligations: Iterable[ReportObligation],
    *,
    today: date,
    lead_days: Sequence[int] = DEFAULT_REPORT_LEAD_DAYS,
    calendar: WorkCalendar,
    fired: Set[str],
) -> ReminderBatch[ReportReminder]:
    """report.due `lead_days` working days before each unsent report's deadline; report.missed after it.

    Only on working days; same catch-up rule as tasks. A report sent late after report.missed
    fired triggers nothing more here (lateness is `status.judge_period`'s business).
    """
    _check_offsets(lead_days)
    batch: ReminderBatch[ReportReminder] = ReminderBatch()
    if not calendar.is_working_day(today):
        return batch
    for item in obligations:
        if item.reported_on is not None:
            continue
        due_keys = {lead: _report_key("report.due", item, lead) for lead in lead_days}
        if today > item.deadline:
            batch.skipped.extend(_report(item, today, lead) for lead, k in due_keys.items() if k not in fired)
            if _report_key("report.missed", item, None) not in fired:
                batch.send.append(_report(item, today, None))
            continue
        marks = {lead: calendar.add_working_days(item.deadline, -lead) for lead in lead_days}
        send, skip = _pick(marks, due_keys, today, fired)
        batch.send.extend(_report(item, today, lead) for lead in send)
        batch.skipped.extend(_report(item, today, lead) for lead in skip)
    return batch


def _near_key(assignment_id: str, offset: int, working_days: bool) -> str:
    # Calendar-day marks keep the keys fired before working days existed.
    return f"deadline.near:{assignment_id}:{offset}{'wd' if working_days else ''}"


def _near(
    item: OpenAssignment, due: date, today: date, offset: int, working_days: bool, left: int | None = None
) -> TaskReminder:
    key = _near_key(item.assignment_id, offset, working_days)
    days = (due - today).days
    return TaskReminder("deadline.near", key, item.assignment_id, item.unit, due, days, offset, left)


def _overdue(item: OpenAssignment, due: date, today: date) -> TaskReminder:
    key = f"overdue:{item.assignment_id}"
    return TaskReminder("overdue", key, item.assignment_id, item.unit, due, (due - today).days, None)


def _report_key(kind: str, item: ReportObligation, lead: int | None) -> str:
    # A moved deadline (revision 2 on) re-arms the notices; the first keeps the keys fired before numbering.
    base = f"{kind}:{item.obligation_id}:{item.unit}:{item.period.id}"
    if item.revision > 1:
        base = f"{base}#{item.revision}"
    return base if lead is None else f"{base}:{lead}"


def _report(item: ReportObligation, today: date, lead: int | None) -> ReportReminder:
    """report.due for a lead-days mark, report.missed when `lead` is None."""
    kind: Literal["report.due", "report.missed"] = "report.missed" if lead is None else "report.due"
    return ReportReminder(
        kind=kind,
        key=_report_key(kind, item, lead),
        obligation_id=item.obligation_id,
        unit=item.unit,
        period=item.period,
        deadline=item.deadline,
        days_left=(item.deadline - today).days,
        lead_days=lead,
    )


def _pick(
    marks: dict[int, date], keys: dict[int, str], today: date, fired: Set[str]
) -> tuple[list[int], list[int]]:
    """Among marks whose day has come, send the most urgent (smallest) if unfired; skip the rest unfired."""
    reached = sorted(o for o, day in marks.items() if day <= today)
    if not reached:
        return [], []
    most_urgent, older = reached[0], reached[1:]
    send = [most_urgent] if keys[most_urgent] not in fired else []
    return send, [o for o in older if keys[o] not in fired]


def _shift_off_day(day: date, calendar: WorkCalendar, skip_days_off: bool) -> date:
    return calendar.previous_working_day(day, inclusive=True) if skip_days_off else day


def _check_offsets(offsets: Sequence[int]) -> None:
    if any(o < 0 for o in offsets) or len(set(offsets)) != len(offsets):
        raise ValueError("reminder offsets must be distinct and not negative")

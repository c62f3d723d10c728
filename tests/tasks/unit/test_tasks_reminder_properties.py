"""However the clock jumps, restarts or loses a tick, no reminder key is ever sent twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.tasks.domain.calendar import default_calendar
from services.tasks.domain.periods import reporting_period
from services.tasks.domain.reminders import ReportDueDate, due_reminders, report_reminders

D = date
DUES = st.dates(D(2025, 2, 1), D(2027, 11, 30))
# (days the clock moves, what happens to the tick): a lost tick crashed before its transaction
# committed, so neither its events nor its fired keys were stored; a gap of 0 is a restart that
# re-runs the same day.
STEPS = st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["commit", "commit", "lost"])), max_size=40)


PERIOD = reporting_period("monthly", 2026, 5)  # the period's identity only feeds the keys here


def _reported_on(deadline: date, late: int | None, today: date) -> date | None:
    """A unit that reports does so `late` days after the deadline; before that day it has not."""
    if late is None:
        return None
    day = deadline + timedelta(days=late)
    return day if today >= day else None


@dataclass(frozen=True)
class Open:
    assignment_id: str
    unit: str
    due: date | None


@settings(deadline=None)
@given(st.lists(DUES | st.none(), min_size=1, max_size=5), st.integers(0, 20), STEPS, st.booleans())
def test_a_task_reminder_is_never_sent_twice_and_respects_days_off(
    dues: list[date | None], lead_in: int, steps: list[tuple[int, str]], skip_days_off: bool
) -> None:
    cal = default_calendar()
    items = [Open(f"a{i}", f"u{i}", due) for i, due in enumerate(dues)]
    known = [d for d in dues if d is not None] or [D(2026, 1, 1)]
    today = min(known) - timedelta(days=lead_in)
    fired: set[str] = set()
    sent: list[tuple[date, str]] = []
    skipped: set[str] = set()
    # A last committed tick well after every due date checks that each overdue notice does go out.
    final = cal.next_working_day(max(known) + timedelta(days=3))
    for gap, outcome in [*steps, (0, "final")]:
        # the final tick falls on a working day, or a day-off rule would rightly hold the notice back
        final_day = cal.next_working_day(max(today, final), inclusive=True)
        today = final_day if outcome == "final" else today + timedelta(days=gap)
        batch = due_reminders(items, today=today, calendar=cal, fired=fired, skip_days_off=skip_days_off)
        if outcome == "lost":
            continue
        per_assignment = Counter(r.assignment_id for r in batch.send)
        assert all(count == 1 for count in per_assignment.values())
        for reminder in batch.send:
            if reminder.offset_days is None:
                assert today > reminder.due
                continue
            mark = reminder.due - timedelta(days=reminder.offset_days)
            if skip_days_off:
                mark = cal.previous_working_day(mark, inclusive=True)
            assert mark <= today <= reminder.due
        sent += [(today, r.key) for r in batch.send]
        skipped |= {r.key for r in batch.skipped}
        fired |= batch.keys()

    keys = [key for _, key in sent]
    assert len(keys) == len(set(keys))
    assert not set(keys) & skipped
    if skip_days_off:
        assert all(cal.is_working_day(day) for day, _ in sent)
    assert {k for k in keys if k.startswith("overdue:")} == {
        f"overdue:{i.assignment_id}" for i in items if i.due
    }


@settings(deadline=None)
@given(
    st.lists(st.tuples(DUES, st.integers(-10, 10) | st.none()), min_size=1, max_size=4),
    STEPS,
)
def test_a_report_reminder_is_never_sent_twice_and_never_on_a_day_off(
    owed: list[tuple[date, int | None]], steps: list[tuple[int, str]]
) -> None:
    cal = default_calendar()
    deadlines = [cal.next_working_day(d, inclusive=True) for d, _ in owed]
    today = min(deadlines) - timedelta(days=10)
    fired: set[str] = set()
    sent: list[tuple[date, str]] = []
    for gap, outcome in steps:
        today += timedelta(days=gap)
        obligations = [
            ReportDueDate("ob", f"u{i}", PERIOD, deadline, _reported_on(deadline, late, today))
            for i, ((_, late), deadline) in enumerate(zip(owed, deadlines, strict=True))
        ]
        batch = report_reminders(obligations, today=today, calendar=cal, fired=fired)
        if outcome == "lost":
            continue
        for reminder in batch.send:
            if reminder.kind == "report.missed":
                assert today > reminder.deadline
        sent += [(today, r.key) for r in batch.send]
        fired |= batch.keys()

    keys = [key for _, key in sent]
    assert len(keys) == len(set(keys))
    assert all(cal.is_working_day(day) for day, _ in sent)

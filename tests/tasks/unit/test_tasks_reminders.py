"""Reminders: deadline.near at 7/3/1 days, overdue the day after, report.due / report.missed, once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from services.tasks.domain.calendar import WorkCalendar
from services.tasks.domain.periods import reporting_period
from services.tasks.domain.reminders import (
    ReminderBatch,
    ReportDueDate,
    TaskReminder,
    due_reminders,
    report_reminders,
)

D = date
PLAIN = WorkCalendar()  # weekends only
DUE = D(2026, 6, 19)  # a Friday


@dataclass(frozen=True)
class Open:
    assignment_id: str
    unit: str
    due: date | None


A = Open("a-1", "an_bien.vp", DUE)


def tick(
    today: date, fired: set[str], *items: Open, skip_days_off: bool = True
) -> ReminderBatch[TaskReminder]:
    batch = due_reminders(
        list(items) or [A], today=today, calendar=PLAIN, fired=fired, skip_days_off=skip_days_off
    )
    fired |= batch.keys()
    return batch


def sent(batch: ReminderBatch[TaskReminder]) -> list[tuple[str, int | None]]:
    return [(r.kind, r.offset_days) for r in batch.send]


def test_nothing_is_sent_before_the_first_reminder_day() -> None:
    assert tick(DUE - timedelta(days=8), set()).send == []


def test_the_seven_day_reminder_goes_out_seven_days_before_the_due_date() -> None:
    [reminder] = tick(D(2026, 6, 12), set()).send
    assert (reminder.kind, reminder.key, reminder.offset_days, reminder.days_left) == (
        "deadline.near",
        "deadline.near:a-1:7",
        7,
        7,
    )
    assert (reminder.assignment_id, reminder.unit, reminder.due) == ("a-1", "an_bien.vp", DUE)


def test_a_repeated_tick_on_the_same_day_sends_nothing_again() -> None:
    fired: set[str] = set()
    assert sent(tick(D(2026, 6, 12), fired)) == [("deadline.near", 7)]
    assert tick(D(2026, 6, 12), fired).send == []
    assert tick(D(2026, 6, 15), fired).send == []


def test_each_mark_fires_once_on_its_day_with_daily_ticks() -> None:
    fired: set[str] = set()
    days = [DUE + timedelta(days=n) for n in range(-10, 5)]
    log = [(day, sent(tick(day, fired))) for day in days]
    assert [(day, s) for day, s in log if s] == [
        (D(2026, 6, 12), [("deadline.near", 7)]),
        (D(2026, 6, 16), [("deadline.near", 3)]),
        (D(2026, 6, 18), [("deadline.near", 1)]),
        (D(2026, 6, 22), [("overdue", None)]),  # Saturday 20 is a day off: Monday
    ]


def test_after_downtime_only_the_most_urgent_reminder_is_sent_and_older_ones_are_skipped() -> None:
    fired: set[str] = set()
    batch = tick(D(2026, 6, 17), fired)  # 2 days before: the 7- and 3-day marks have both passed
    assert sent(batch) == [("deadline.near", 3)]
    assert [r.key for r in batch.skipped] == ["deadline.near:a-1:7"]
    assert batch.send[0].days_left == 2
    assert sent(tick(D(2026, 6, 18), fired)) == [("deadline.near", 1)]


def test_after_downtime_past_the_due_date_only_the_overdue_notice_goes_out() -> None:
    fired: set[str] = set()
    batch = tick(D(2026, 6, 23), fired)
    assert sent(batch) == [("overdue", None)]
    assert batch.send[0].key == "overdue:a-1" and batch.send[0].days_left == -4
    assert sorted(r.offset_days or 0 for r in batch.skipped) == [1, 3, 7]
    assert tick(D(2026, 6, 24), fired).send == []


def test_overdue_comes_the_day_after_the_due_date_not_on_it() -> None:
    due_thursday = Open("a-2", "x", D(2026, 6, 18))
    fired = {f"deadline.near:a-2:{o}" for o in (7, 3, 1)}
    assert tick(D(2026, 6, 18), fired, due_thursday).send == []
    assert sent(tick(D(2026, 6, 19), fired, due_thursday)) == [("overdue", None)]


def test_a_reminder_mark_on_a_weekend_moves_to_the_friday_before() -> None:
    due_tuesday = Open("a-3", "x", D(2026, 6, 23))  # 1-day mark Mon 22; 3-day mark Sat 20 → Fri 19
    fired: set[str] = set()
    assert sent(tick(D(2026, 6, 19), fired, due_tuesday)) == [("deadline.near", 3)]
    assert sent(tick(D(2026, 6, 22), fired, due_tuesday)) == [("deadline.near", 1)]


def test_nothing_is_sent_on_a_day_off_when_days_off_are_skipped() -> None:
    assert tick(D(2026, 6, 20), set()).send == []  # Saturday after the due date
    assert tick(D(2026, 6, 14), set(), Open("a-4", "x", D(2026, 6, 21))).send == []


def test_without_skipping_days_off_a_reminder_can_go_out_on_a_sunday() -> None:
    due_sunday_week = Open("a-5", "x", D(2026, 6, 28))
    assert sent(tick(D(2026, 6, 21), set(), due_sunday_week, skip_days_off=False)) == [("deadline.near", 7)]
    assert sent(tick(D(2026, 6, 20), set(), skip_days_off=False)) == [("overdue", None)]


def test_two_marks_moved_onto_the_same_friday_send_one_reminder() -> None:
    due_monday = Open("a-6", "x", D(2026, 6, 22))  # 3-day mark Fri 19, 1-day mark Sun 21 → Fri 19
    batch = tick(D(2026, 6, 19), {"deadline.near:a-6:7"}, due_monday)
    assert sent(batch) == [("deadline.near", 1)]
    assert [r.offset_days for r in batch.skipped] == [3]


def test_an_ongoing_assignment_without_a_due_date_gets_no_reminders() -> None:
    assert tick(D(2026, 6, 19), set(), Open("a-7", "x", None)) == ReminderBatch()


def test_reminder_offsets_must_be_distinct_and_not_negative() -> None:
    with pytest.raises(ValueError):
        due_reminders([A], (3, 3), today=DUE, calendar=PLAIN, fired=set())
    with pytest.raises(ValueError):
        due_reminders([A], (-1,), today=DUE, calendar=PLAIN, fired=set())


Q2 = reporting_period("quarterly", 2026, 2)  # cut-off Sun 14/6/2026
DEADLINE = D(2026, 6, 17)  # Wednesday


def reports(*reported: tuple[str, date | None]) -> list[ReportDueDate]:
    return [ReportDueDate("ob-1", unit, Q2, DEADLINE, on) for unit, on in reported]


def test_report_due_goes_out_the_lead_days_in_working_days_before_the_deadline() -> None:
    obligations = reports(("an_bien", None))
    fired: set[str] = set()
    assert report_reminders(obligations, today=D(2026, 6, 11), calendar=PLAIN, fired=fired).send == []
    [due] = report_reminders(obligations, today=D(2026, 6, 12), calendar=PLAIN, fired=fired).send
    assert (due.kind, due.key, due.lead_days, due.period.id) == (
        "report.due",
        "report.due:ob-1:an_bien:2026-Q2:3",
        3,
        "2026-Q2",
    )


def test_report_missed_is_sent_once_after_the_deadline_only_for_units_that_have_not_reported() -> None:
    obligations = reports(("an_bien", None), ("tan_hung", D(2026, 6, 16)))
    fired: set[str] = set()
    assert [
        r.kind for r in report_reminders(obligations, today=DEADLINE, calendar=PLAIN, fired=fired).send
    ] == ["report.due"]
    batch = report_reminders(obligations, today=D(2026, 6, 18), calendar=PLAIN, fired=fired)
    assert [(r.kind, r.unit, r.key) for r in batch.send] == [
        ("report.missed", "an_bien", "report.missed:ob-1:an_bien:2026-Q2")
    ]


def test_report_reminders_wait_for_a_working_day() -> None:
    obligations = reports(("an_bien", None))
    holiday = WorkCalendar(holidays={D(2026, 6, 18)})
    assert report_reminders(obligations, today=D(2026, 6, 18), calendar=holiday, fired=set()).send == []
    assert report_reminders(obligations, today=D(2026, 6, 20), calendar=holiday, fired=set()).send == []
    batch = report_reminders(obligations, today=D(2026, 6, 19), calendar=holiday, fired=set())
    assert [r.kind for r in batch.send] == ["report.missed"]


def test_working_day_offsets_count_office_days_before_the_due_date_skipping_weekends_and_holidays() -> None:
    monday = Open("a-2", "an_bien.vp", D(2026, 6, 22))
    holiday = WorkCalendar(holidays=[D(2026, 6, 17)])  # a Wednesday off

    def near(today: date, calendar: WorkCalendar, fired: set[str]) -> list[str]:
        batch = due_reminders([monday], (2,), today=today, calendar=calendar, fired=fired, working_days=True)
        fired |= batch.keys()
        return [r.key for r in batch.send]

    # Two working days before Monday 22/06 is Thursday 18/06 (calendar days would say Saturday → Friday).
    assert near(D(2026, 6, 17), PLAIN, set()) == []
    fired: set[str] = set()
    assert near(D(2026, 6, 18), PLAIN, fired) == ["deadline.near:a-2:2wd"]
    assert near(D(2026, 6, 19), PLAIN, fired) == []  # once
    # A holiday between moves it earlier: 3 office days before Friday 19/06, Wednesday off, is Monday 15/06.
    batch = due_reminders([A], (3,), today=D(2026, 6, 15), calendar=holiday, fired=set(), working_days=True)
    assert [(r.kind, r.offset_days, r.days_left) for r in batch.send] == [("deadline.near", 3, 4)]
    calendar_days = due_reminders([A], (3,), today=D(2026, 6, 15), calendar=holiday, fired=set())
    assert calendar_days.send == []


def test_working_day_reminders_say_how_many_office_days_are_left_across_tet() -> None:
    from services.tasks.domain.calendar import default_calendar

    # Tết Bính Ngọ 2026: offices close 14/02–22/02. A task due Wednesday 25/02 with a 5-working-day mark.
    calendar = default_calendar()
    task = Open("a-3", "an_bien.vp", D(2026, 2, 25))
    fired: set[str] = set()
    found = []
    for day in (D(2026, 2, 10) + timedelta(days=n) for n in range(16)):
        batch = due_reminders([task], (5, 2, 1), today=day, calendar=calendar, fired=fired, working_days=True)
        fired |= batch.keys()
        found += [(day, r.offset_days, r.working_days_left, r.days_left) for r in batch.send]
    # Five office days before 25/02 is Wednesday 11/02 (Thursday 12, Friday 13, Monday 23, Tuesday 24,
    # Wednesday 25 left): 14 calendar days, of which nine are Tết.
    assert found == [
        (D(2026, 2, 11), 5, 5, 14),
        (D(2026, 2, 23), 2, 2, 2),  # the first office day after Tết
        (D(2026, 2, 24), 1, 1, 1),
    ]


def test_a_calendar_day_reminder_carries_no_working_day_count() -> None:
    batch = tick(DUE - timedelta(days=3), set())
    assert [(r.offset_days, r.working_days_left) for r in batch.send] == [(3, None)]

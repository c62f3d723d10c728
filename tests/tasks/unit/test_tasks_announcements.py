"""A report's deadline is announced once, and again each time it moves; reminders follow the new one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.tasks.domain.announcements import announced, plan_announcements
from services.tasks.domain.calendar import WorkCalendar
from services.tasks.domain.periods import reporting_period
from services.tasks.domain.reminders import ReportDueDate, report_reminders

S1 = reporting_period("semiannual", 2026, 1)
OWED = ReportDueDate("o", "11407", S1, date(2026, 6, 16))
PLAIN = WorkCalendar()


def test_a_report_is_announced_once_while_its_deadline_holds() -> None:
    send, owed = plan_announcements([OWED], set())
    assert [a.key for a in send] == ["report.expected:o:11407:2026-S1#1@2026-06-16"]
    again, owed_again = plan_announcements([OWED], {a.key for a in send})
    assert again == [] and owed_again == owed and owed[0].revision == 1


def test_a_moved_deadline_is_announced_again_and_back_again() -> None:
    fired = {a.key for a in plan_announcements([OWED], set())[0]}
    later = replace(OWED, deadline=date(2026, 6, 19))
    send, owed = plan_announcements([later], fired)
    assert [a.key for a in send] == ["report.expected:o:11407:2026-S1#2@2026-06-19"]
    assert send[0].item.deadline == date(2026, 6, 19) and owed[0].revision == 2
    fired |= {a.key for a in send}
    back, _ = plan_announcements([OWED], fired)  # the rule was withdrawn: the first deadline again
    assert [a.key for a in back] == ["report.expected:o:11407:2026-S1#3@2026-06-16"]
    assert announced(fired | {back[0].key})["report.expected:o:11407:2026-S1"].deadline == OWED.deadline


def test_a_key_fired_before_deadlines_were_numbered_is_renumbered_without_re_arming_reminders() -> None:
    send, owed = plan_announcements([OWED], {"report.expected:o:11407:2026-S1"})
    assert [a.key for a in send] == ["report.expected:o:11407:2026-S1#1@2026-06-16"]
    assert owed[0].revision == 1


def test_report_due_and_missed_follow_the_moved_deadline() -> None:
    # The old deadline (16/6) passed unreported: report.missed fired. The rule moves it to 19/6.
    missed = report_reminders([OWED], today=date(2026, 6, 17), lead_days=(1,), calendar=PLAIN, fired=set())
    assert [r.kind for r in missed.send] == ["report.missed"]
    fired = missed.keys() | {a.key for a in plan_announcements([OWED], set())[0]}
    _, owed = plan_announcements([replace(OWED, deadline=date(2026, 6, 19))], fired)
    fired |= {"report.expected:o:11407:2026-S1#2@2026-06-19"}
    due = report_reminders(owed, today=date(2026, 6, 18), lead_days=(1,), calendar=PLAIN, fired=fired)
    assert [(r.kind, r.deadline) for r in due.send] == [("report.due", date(2026, 6, 19))]
    after = report_reminders(owed, today=date(2026, 6, 22), lead_days=(1,), calendar=PLAIN, fired=fired)
    assert [(r.kind, r.deadline) for r in after.send] == [("report.missed", date(2026, 6, 19))]

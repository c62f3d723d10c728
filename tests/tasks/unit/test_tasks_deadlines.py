"""Send-by deadlines: after the cut-off, before a fixed day, and earlier for lower levels."""

from __future__ import annotations

from datetime import date

import pytest

from services.tasks.domain.calendar import WorkCalendar, default_calendar
from services.tasks.domain.deadlines import (
    DEFAULT_RULES,
    ReportingRule,
    deadline_for,
    report_schedule,
    rule_for,
)
from services.tasks.domain.periods import PERIOD_KINDS, reporting_period

D = date
PLAIN = WorkCalendar()  # weekends only


def test_n_working_days_after_the_cutoff_skips_the_weekend() -> None:
    rule = ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=2)
    may = reporting_period("monthly", 2026, 5)  # cut-off Thu 14/5/2026
    assert deadline_for(may, rule, "city", PLAIN) == D(2026, 5, 18)  # Fri 15, Mon 18


def test_before_18_june_and_18_december_means_the_17th_or_the_working_day_before() -> None:
    rule = ReportingRule(kinds=frozenset({"semiannual", "annual"}), send_before_day=18)
    assert deadline_for(reporting_period("semiannual", 2026, 1), rule, "city", PLAIN) == D(2026, 6, 17)
    # 17/6/2029 is a Sunday: the report goes out on Friday 15/6, never after the 17th
    assert deadline_for(reporting_period("semiannual", 2029, 1), rule, "city", PLAIN) == D(2029, 6, 15)
    assert deadline_for(reporting_period("annual", 2026), rule, "city", PLAIN) == D(2026, 12, 17)


def test_a_fixed_day_not_after_the_cutoff_falls_in_the_next_month() -> None:
    rule = ReportingRule(kinds=frozenset({"annual"}), send_before_day=10)
    assert deadline_for(reporting_period("annual", 2026), rule, "city", PLAIN) == D(2027, 1, 8)


def test_each_lower_level_reports_the_lead_days_earlier_than_the_level_above() -> None:
    rule = ReportingRule(kinds=frozenset({"quarterly"}), send_before_day=25, lower_level_lead_days=2)
    q2 = reporting_period("quarterly", 2026, 2)  # cut-off Sun 14/6/2026; city: Wed 24/6/2026
    assert deadline_for(q2, rule, "city", PLAIN) == D(2026, 6, 24)
    assert deadline_for(q2, rule, "department", PLAIN) == D(2026, 6, 22)
    assert deadline_for(q2, rule, "commune", PLAIN) == D(2026, 6, 18)  # two more working days back


def test_a_rule_stated_for_the_department_puts_the_commune_earlier_and_the_city_later() -> None:
    rule = ReportingRule(
        kinds=frozenset({"monthly"}), working_days_after_cutoff=3, lower_level_lead_days=1, level="department"
    )
    may = reporting_period("monthly", 2026, 5)
    assert deadline_for(may, rule, "department", PLAIN) == D(2026, 5, 19)
    assert deadline_for(may, rule, "commune", PLAIN) == D(2026, 5, 18)
    assert deadline_for(may, rule, "city", PLAIN) == D(2026, 5, 20)


def test_holidays_push_a_working_day_deadline_later() -> None:
    rule = ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=1)
    # 2025-M09 closes on Sunday 14/9/2025: one working day later is Monday 15/9.
    assert deadline_for(reporting_period("monthly", 2025, 9), rule, "city", default_calendar()) == D(
        2025, 9, 15
    )
    holiday = WorkCalendar(holidays={D(2026, 4, 15)})
    assert deadline_for(reporting_period("monthly", 2026, 4), rule, "city", holiday) == D(2026, 4, 16)


def test_zero_working_days_means_the_cutoff_day_or_the_next_working_day() -> None:
    rule = ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=0)
    assert deadline_for(reporting_period("monthly", 2026, 3), rule, "city", PLAIN) == D(2026, 3, 16)


def test_every_default_deadline_is_a_working_day_after_the_cutoff_for_the_city() -> None:
    cal = default_calendar()
    for kind in PERIOD_KINDS:
        for period, deadline in report_schedule(
            kind, rule_for(kind), "city", cal, D(2025, 1, 1), D(2027, 11, 30)
        ):
            assert cal.is_working_day(deadline)
            assert deadline > period.window_end


def test_a_rule_must_say_exactly_one_way_to_compute_the_deadline() -> None:
    with pytest.raises(ValueError):
        ReportingRule(kinds=frozenset({"annual"}))
    with pytest.raises(ValueError):
        ReportingRule(kinds=frozenset({"annual"}), working_days_after_cutoff=2, send_before_day=18)
    with pytest.raises(ValueError):
        deadline_for(reporting_period("annual", 2026), DEFAULT_RULES[0], "city", PLAIN)

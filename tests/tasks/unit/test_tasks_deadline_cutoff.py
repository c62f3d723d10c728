"""A send-by deadline is never before the end of the window it reports on, at any level, any calendar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.tasks.domain.calendar import WorkCalendar, default_calendar
from services.tasks.domain.deadlines import DEFAULT_RULES, Level, ReportingRule, deadline_for, rule_for
from services.tasks.domain.periods import PERIOD_KINDS, periods_between, reporting_period

D = date
LEVELS: tuple[Level, ...] = ("city", "department", "commune")


def test_the_november_2026_default_deadlines_are_not_before_the_saturday_cut_off() -> None:
    # 2026-M11 closes on Saturday 14/11/2026. The city's default rule is two working days after it
    # (Tue 17/11), each lower level one working day earlier: the commune's reached back to Fri 13/11.
    m11 = reporting_period("monthly", 2026, 11)
    cal = default_calendar()
    assert m11.window_end == D(2026, 11, 14)
    assert deadline_for(m11, rule_for("monthly"), "city", cal) == D(2026, 11, 17)
    assert deadline_for(m11, rule_for("monthly"), "department", cal) == D(2026, 11, 16)
    assert deadline_for(m11, rule_for("monthly"), "commune", cal) == D(2026, 11, 16)


def test_a_holiday_after_a_weekend_cut_off_moves_the_earliest_deadline_past_it() -> None:
    # 2026-M03 closes Sat 14/3; with Monday 16/3 a holiday the first working day from the cut-off is 17/3.
    m03 = reporting_period("monthly", 2026, 3)
    cal = WorkCalendar(holidays={D(2026, 3, 16)})
    rule = ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=1, lower_level_lead_days=3)
    assert deadline_for(m03, rule, "city", cal) == D(2026, 3, 17)
    assert deadline_for(m03, rule, "commune", cal) == D(2026, 3, 17)


def test_a_make_up_saturday_cut_off_is_itself_the_earliest_deadline() -> None:
    m03 = reporting_period("monthly", 2026, 3)  # Saturday 14/3, made a working day
    cal = WorkCalendar(makeup_workdays={D(2026, 3, 14)})
    rule = ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=1, lower_level_lead_days=5)
    assert deadline_for(m03, rule, "commune", cal) == D(2026, 3, 14)


def test_every_default_deadline_at_every_level_is_a_working_day_not_before_the_cut_off() -> None:
    cal = default_calendar()
    for kind in PERIOD_KINDS:
        for period in periods_between(kind, D(2025, 1, 1), D(2027, 11, 30)):
            for level in LEVELS:
                deadline = deadline_for(period, rule_for(kind), level, cal)
                assert cal.is_working_day(deadline)
                assert deadline >= period.window_end, (period.id, level, deadline)


@settings(max_examples=300, deadline=None)
@given(
    year=st.integers(2025, 2027),
    month=st.integers(1, 12),
    after=st.integers(0, 10),
    before_day=st.integers(2, 28),
    lead=st.integers(0, 10),
    use_before=st.booleans(),
    holidays=st.sets(st.integers(0, 60), max_size=12),
    level=st.sampled_from(LEVELS),
)
def test_any_rule_and_any_holidays_keep_the_deadline_on_or_after_the_cut_off(
    year: int,
    month: int,
    after: int,
    before_day: int,
    lead: int,
    use_before: bool,
    holidays: set[int],
    level: Level,
) -> None:
    period = reporting_period("monthly", year, month)
    first = period.window_end - timedelta(days=20)
    cal = WorkCalendar(holidays={first + timedelta(days=d) for d in holidays})
    rule = ReportingRule(
        kinds=frozenset({"monthly"}),
        working_days_after_cutoff=None if use_before else after,
        send_before_day=before_day if use_before else None,
        lower_level_lead_days=lead,
    )
    deadline = deadline_for(period, rule, level, cal)
    assert deadline >= period.window_end
    assert cal.is_working_day(deadline)


def test_the_default_rules_are_the_ones_documented() -> None:
    assert {k for rule in DEFAULT_RULES for k in rule.kinds} == set(PERIOD_KINDS)

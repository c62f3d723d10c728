"""Working days: weekends, holidays, make-up Saturdays, and the shipped Vietnamese calendar."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.tasks.domain.calendar import WorkCalendar, default_calendar, parse_calendar

D = date


def test_weekends_are_days_off_and_weekdays_are_working_days() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(D(2026, 11, 20))  # Friday
    assert not cal.is_working_day(D(2026, 11, 21))  # Saturday
    assert not cal.is_working_day(D(2026, 11, 22))  # Sunday


def test_a_holiday_is_a_day_off_and_a_makeup_saturday_is_a_working_day() -> None:
    cal = WorkCalendar(holidays={D(2025, 5, 2)}, makeup_workdays={D(2025, 4, 26)})
    assert not cal.is_working_day(D(2025, 5, 2))
    assert cal.is_working_day(D(2025, 4, 26))


def test_adding_working_days_jumps_over_weekends_and_holidays() -> None:
    cal = WorkCalendar(holidays={D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1)})
    # Fri 24/4 + 1 → Tue 28/4 (weekend, then the Giỗ Tổ make-up Monday)
    assert cal.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    assert cal.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    assert cal.add_working_days(D(2026, 5, 4), -1) == D(2026, 4, 29)
    assert cal.add_working_days(D(2026, 5, 2), 0) == D(2026, 5, 2)


def test_previous_and_next_working_day_are_strict_unless_inclusive() -> None:
    cal = WorkCalendar()
    monday = D(2026, 11, 23)
    assert cal.previous_working_day(monday) == D(2026, 11, 20)
    assert cal.previous_working_day(monday, inclusive=True) == monday
    assert cal.next_working_day(D(2026, 11, 21), inclusive=True) == monday
    assert cal.next_working_day(D(2026, 11, 20)) == monday


def test_a_calendar_loads_from_json_with_plain_or_named_dates() -> None:
    text = json.dumps(
        {
            "years": [2030],
            "weekend": [6],
            "holidays": ["2030-01-01", {"date": "2030-04-30", "name": "Ngày Chiến thắng"}],
            "makeup_workdays": [],
        }
    )
    cal = parse_calendar(text, fmt="json")
    assert cal.holidays == {D(2030, 1, 1), D(2030, 4, 30)}
    assert cal.is_working_day(D(2030, 1, 5))  # a Saturday, with a Sunday-only weekend
    assert cal.covers(D(2030, 6, 1)) and not cal.covers(D(2031, 6, 1))


def test_a_calendar_file_with_a_bad_date_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_calendar('{"holidays": ["30/4/2030"]}', fmt="json")


# Days off of state agencies, written by hand from the Labour Code 2019 art. 112 and the yearly notices.
VIETNAM_DAYS_OFF = [
    D(2025, 1, 1),
    *[D(2025, 1, d) for d in range(27, 32)],  # Tết Ất Tỵ (mùng 1 = 29/1)
    D(2025, 4, 7),  # Giỗ Tổ, 10/3 Ất Tỵ
    D(2025, 4, 30),
    D(2025, 5, 1),
    D(2025, 5, 2),  # swapped with Saturday 26/4
    D(2025, 9, 1),
    D(2025, 9, 2),
    D(2026, 1, 1),
    *[D(2026, 2, d) for d in range(16, 21)],  # Tết Bính Ngọ (mùng 1 = 17/2)
    D(2026, 4, 27),  # Giỗ Tổ 26/4 is a Sunday, made up on Monday
    D(2026, 4, 30),
    D(2026, 5, 1),
    D(2026, 9, 2),
    D(2027, 1, 1),
    D(2027, 4, 16),  # Giỗ Tổ, 10/3 Đinh Mùi
    D(2027, 4, 30),
    D(2027, 5, 3),  # 1/5/2027 is a Saturday
    D(2027, 9, 2),
]


@pytest.mark.parametrize("day", VIETNAM_DAYS_OFF, ids=str)
def test_the_default_calendar_closes_offices_on_vietnamese_holidays(day: date) -> None:
    assert not default_calendar().is_working_day(day)


def test_the_default_calendar_works_the_makeup_saturdays_and_covers_2025_to_2027() -> None:
    cal = default_calendar()
    assert cal.is_working_day(D(2025, 4, 26))
    assert {2025, 2026, 2027} <= cal.years
    assert not cal.covers(D(2028, 1, 1))


def test_the_default_calendar_gives_nine_days_of_tet_with_five_weekdays_off() -> None:
    cal = default_calendar()
    for first, last in [(D(2025, 1, 25), D(2025, 2, 2)), (D(2026, 2, 14), D(2026, 2, 22))]:
        days = [first + timedelta(days=i) for i in range(9)]
        assert days[-1] == last
        assert not any(cal.is_working_day(d) for d in days)
        assert sum(d in cal.holidays for d in days) == 5
        assert cal.is_working_day(first - timedelta(days=1))
        assert cal.is_working_day(last + timedelta(days=1))


def test_the_default_calendar_gives_two_days_for_quoc_khanh_each_year() -> None:
    cal = default_calendar()
    for year in (2025, 2026, 2027):
        around = [D(year, 9, 1), D(year, 9, 2), D(year, 9, 3)]
        holidays = [d for d in around if d in cal.holidays]
        assert D(year, 9, 2) in holidays and len(holidays) == 2


@given(st.dates(D(2025, 1, 1), D(2027, 12, 31)), st.integers(-40, 40))
def test_adding_working_days_always_lands_on_a_working_day_and_counts_them(start: date, n: int) -> None:
    cal = default_calendar()
    end = cal.add_working_days(start, n)
    if n == 0:
        assert end == start
        return
    assert cal.is_working_day(end)
    low, high = sorted((start, end))
    between = [low + timedelta(days=i) for i in range(1, (high - low).days + 1)]
    if n < 0:  # counting back, the start itself is excluded and the end included
        between = [low + timedelta(days=i) for i in range(0, (high - low).days)]
    assert sum(cal.is_working_day(d) for d in between) == abs(n)

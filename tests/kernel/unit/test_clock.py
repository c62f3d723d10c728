"""Days are Vietnamese days: an instant is read in Asia/Ho_Chi_Minh before it becomes a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from dondoc.kernel.clock import VIETNAM, FixedClock, ShiftedClock, SystemClock, vietnam_date, vietnam_time


def test_late_evening_utc_is_already_the_next_morning_in_vietnam() -> None:
    assert vietnam_date(datetime(2026, 5, 31, 17, 30, tzinfo=UTC)) == date(2026, 6, 1)
    assert vietnam_date(datetime(2026, 5, 31, 16, 59, tzinfo=UTC)) == date(2026, 5, 31)


def test_an_instant_given_in_another_offset_is_converted_first() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert vietnam_date(datetime(2026, 6, 1, 1, 30, tzinfo=tokyo)) == date(2026, 5, 31)


def test_a_naive_datetime_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError):
        vietnam_date(datetime(2026, 6, 1, 8, 0))
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 6, 1, 8, 0))
    with pytest.raises(ValueError):
        ShiftedClock().set(datetime(2026, 6, 1, 8, 0))


def test_vietnam_is_seven_hours_ahead_all_year() -> None:
    for month in (1, 7):
        assert datetime(2026, month, 1, tzinfo=VIETNAM).utcoffset() == timedelta(hours=7)


def test_a_fixed_clock_stands_still_until_moved() -> None:
    clock = FixedClock.on(date(2026, 6, 1))
    assert clock.now() == datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 09:00 in Hải Phòng
    assert clock.now() == clock.now()
    assert clock.today() == date(2026, 6, 1)
    clock.advance(timedelta(hours=15))  # midnight in Hải Phòng
    assert clock.today() == date(2026, 6, 2)
    clock.set(datetime(2026, 5, 31, 16, 59, tzinfo=UTC))
    assert clock.today() == date(2026, 5, 31)


def test_a_shifted_clock_runs_from_the_moment_chosen() -> None:
    target = vietnam_time(date(2026, 6, 1), time(23, 0))
    before = SystemClock().now()
    clock = ShiftedClock.on(date(2026, 6, 1), time(23, 0))
    after = SystemClock().now()
    assert before + clock.offset <= target <= after + clock.offset
    first = clock.now()
    assert first >= target
    assert clock.today() == date(2026, 6, 1)
    assert clock.now() >= first
    clock.advance(timedelta(hours=2))
    assert clock.today() == date(2026, 6, 2)


def test_the_system_clock_is_aware_and_agrees_with_its_day() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is not None
    assert clock.today() in (vietnam_date(now), vietnam_date(now) + timedelta(days=1))

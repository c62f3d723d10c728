"""Days are Vietnamese days: an instant is read in Asia/Ho_Chi_Minh before it becomes a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from services.tasks.domain.clock import FixedClock, SystemClock, vn_date


def test_late_evening_utc_is_already_the_next_morning_in_vietnam() -> None:
    assert vn_date(datetime(2026, 5, 31, 17, 30, tzinfo=UTC)) == date(2026, 6, 1)
    assert vn_date(datetime(2026, 5, 31, 16, 59, tzinfo=UTC)) == date(2026, 5, 31)


def test_an_instant_given_in_another_offset_is_converted_first() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert vn_date(datetime(2026, 6, 1, 1, 30, tzinfo=tokyo)) == date(2026, 5, 31)


def test_a_naive_datetime_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError):
        vn_date(datetime(2026, 6, 1, 8, 0))


def test_clocks_give_a_day() -> None:
    assert FixedClock(date(2026, 6, 1)).today() == date(2026, 6, 1)
    assert isinstance(SystemClock().today(), date)

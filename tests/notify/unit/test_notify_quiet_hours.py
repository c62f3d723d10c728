"""Notifications wait out a unit's quiet hours, reckoned in Vietnam's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from services.notify.domain.quiet_hours import QuietHours, next_allowed_time

VN = timezone(timedelta(hours=7))  # written independently of the code's zoneinfo lookup
NIGHT = QuietHours(start=time(22, 0), end=time(6, 30))
NIGHT_AND_WEEKENDS = QuietHours(start=time(22, 0), end=time(6, 30), weekends=True)


def vn(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


def test_a_notification_at_23h_waits_until_06h30_the_next_morning() -> None:
    assert next_allowed_time(vn(2026, 3, 10, 23), NIGHT) == vn(2026, 3, 11, 6, 30)


def test_a_notification_after_midnight_waits_until_06h30_the_same_morning() -> None:
    assert next_allowed_time(vn(2026, 3, 11, 3, 15), NIGHT) == vn(2026, 3, 11, 6, 30)


def test_daytime_notifications_go_at_once() -> None:
    assert next_allowed_time(vn(2026, 3, 11, 14, 5), NIGHT) == vn(2026, 3, 11, 14, 5)


def test_the_window_starts_at_its_start_and_is_over_at_its_end() -> None:
    assert next_allowed_time(vn(2026, 3, 11, 6, 30), NIGHT) == vn(2026, 3, 11, 6, 30)
    assert next_allowed_time(vn(2026, 3, 11, 22, 0), NIGHT) == vn(2026, 3, 12, 6, 30)
    assert next_allowed_time(vn(2026, 3, 11, 21, 59), NIGHT) == vn(2026, 3, 11, 21, 59)


def test_a_utc_clock_is_read_in_vietnam_time() -> None:
    # 16:00 UTC is 23:00 in Hải Phòng.
    result = next_allowed_time(datetime(2026, 3, 10, 16, 0, tzinfo=UTC), NIGHT)
    assert result == vn(2026, 3, 11, 6, 30)
    assert result.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("day", [(2026, 3, 29), (2026, 10, 25), (2026, 3, 8), (2026, 11, 1)])
def test_european_and_american_clock_changes_do_not_move_vietnam_quiet_hours(
    day: tuple[int, int, int],
) -> None:
    y, m, d = day
    result = next_allowed_time(vn(y, m, d, 23), NIGHT)
    assert result.utcoffset() == timedelta(hours=7)
    assert result.astimezone(UTC) == datetime(y, m, d, 23, 30, tzinfo=UTC)


def test_a_friday_night_notification_waits_for_monday_morning_when_weekends_are_quiet() -> None:
    friday_night = vn(2026, 3, 13, 23)
    assert friday_night.weekday() == 4
    assert next_allowed_time(friday_night, NIGHT_AND_WEEKENDS) == vn(2026, 3, 16, 6, 30)


def test_a_saturday_notification_waits_for_monday_morning_when_weekends_are_quiet() -> None:
    assert next_allowed_time(vn(2026, 3, 14, 10), NIGHT_AND_WEEKENDS) == vn(2026, 3, 16, 6, 30)


def test_weekends_are_ordinary_days_unless_the_unit_asks() -> None:
    assert next_allowed_time(vn(2026, 3, 14, 10), NIGHT) == vn(2026, 3, 14, 10)


def test_a_daytime_window_that_does_not_cross_midnight() -> None:
    lunch = QuietHours(start=time(11, 30), end=time(13, 30))
    assert next_allowed_time(vn(2026, 3, 11, 12), lunch) == vn(2026, 3, 11, 13, 30)
    assert next_allowed_time(vn(2026, 3, 11, 23), lunch) == vn(2026, 3, 11, 23)


def test_a_unit_without_quiet_hours_is_notified_at_once() -> None:
    assert next_allowed_time(vn(2026, 3, 11, 2), None) == vn(2026, 3, 11, 2)
    empty = QuietHours(start=time(22, 0), end=time(22, 0))
    assert next_allowed_time(vn(2026, 3, 11, 22, 30), empty) == vn(2026, 3, 11, 22, 30)


def test_a_clock_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        next_allowed_time(datetime(2026, 3, 11, 23), NIGHT)

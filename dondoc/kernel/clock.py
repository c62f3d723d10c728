"""Time, in one place: instants are aware (UTC), days are Hải Phòng's calendar days (Asia/Ho_Chi_Minh).

Every service reads time through a `Clock` it was given (its context's), or, where nothing was injected
(the platform's bookkeeping: outbox, inbox, audit), through `SYSTEM_CLOCK`. No other code calls
`datetime.now`, `datetime.utcnow` or `date.today` (tests/kernel/unit/test_no_bare_clock.py checks it), so
a test that pins or moves time moves it for everything it builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VIETNAM_ZONE_NAME = "Asia/Ho_Chi_Minh"
VIETNAM = ZoneInfo(VIETNAM_ZONE_NAME)  # UTC+7 all year, no daylight saving
OPENING = time(9, 0)  # the wall-clock hour a pinned day starts at, in a test's clock


def as_utc(moment: datetime) -> datetime:
    """An instant as stored: SQLite hands datetimes back naive, in UTC; aware ones are kept as they are."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def vietnam_date(moment: datetime) -> date:
    """The calendar day of an aware instant in Vietnam (a message sent 23:30 UTC is next morning here)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no defined day in Vietnam; pass an aware one")
    return moment.astimezone(VIETNAM).date()


def vietnam_time(day: date, at: time = OPENING) -> datetime:
    """The aware instant of a wall-clock time on a Vietnamese day."""
    return datetime.combine(day, at, VIETNAM)


class Clock(Protocol):
    """Where the current time comes from: the system's, or a test's pinned or moved one."""

    def now(self) -> datetime:
        """The current instant, aware."""
        ...

    def today(self) -> date:
        """The current calendar day in Hải Phòng."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Now, in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today in Hải Phòng."""
        return vietnam_date(self.now())


SYSTEM_CLOCK: Clock = SystemClock()


@dataclass(slots=True)
class FixedClock:
    """A clock stuck on one instant until a test sets or advances it (unit tests, replays)."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a clock's instant must be aware")

    @classmethod
    def on(cls, day: date, at: time = OPENING) -> FixedClock:
        """Stuck on a Vietnamese day, at a wall-clock time (09:00 unless given)."""
        return cls(vietnam_time(day, at))

    def now(self) -> datetime:
        """The pinned instant."""
        return self.at

    def today(self) -> date:
        """The pinned instant's day in Hải Phòng."""
        return vietnam_date(self.at)

    def set(self, moment: datetime) -> None:
        """Pin another instant."""
        self.at = FixedClock(moment).at

    def advance(self, delta: timedelta) -> None:
        """Move the pinned instant on (or back)."""
        self.at += delta


@dataclass(slots=True)
class ShiftedClock:
    """Real time shifted by an offset a test moves: time keeps running, from the moment the test chose.

    For tests that run a whole service: records written one after another keep their order, while the
    day (and the hour, for quiet hours and digests) is the one the test needs.
    """

    offset: timedelta = field(default=timedelta(0))

    @classmethod
    def on(cls, day: date, at: time = OPENING) -> ShiftedClock:
        """Running from a wall-clock time on a Vietnamese day (09:00 unless given)."""
        clock = cls()
        clock.set(vietnam_time(day, at))
        return clock

    def now(self) -> datetime:
        """Real time plus the offset."""
        return SYSTEM_CLOCK.now() + self.offset

    def today(self) -> date:
        """The shifted day in Hải Phòng."""
        return vietnam_date(self.now())

    def set(self, moment: datetime) -> None:
        """Make it `moment` now; time runs on from there."""
        if moment.tzinfo is None:
            raise ValueError("a clock's instant must be aware")
        self.offset = moment - SYSTEM_CLOCK.now()

    def advance(self, delta: timedelta) -> None:
        """Jump ahead (or back) by `delta`."""
        self.offset += delta

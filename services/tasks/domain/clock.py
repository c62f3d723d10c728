"""Time, injected: every date the domain sees is a calendar day in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ_NAME = "Asia/Ho_Chi_Minh"


def vn_date(moment: datetime) -> date:
    """The Vietnamese calendar day of an aware instant (a message sent 23:30 UTC is next morning here)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no defined day in Vietnam; pass an aware one")
    return moment.astimezone(ZoneInfo(VN_TZ_NAME)).date()


class Clock(Protocol):
    """Source of the current day; services pass one in, tests pass a fixed one."""

    def today(self) -> date: ...


@dataclass(frozen=True)
class SystemClock:
    """The real clock, read in Vietnamese time."""

    def today(self) -> date:
        """Today in Asia/Ho_Chi_Minh."""
        return vn_date(datetime.now(UTC))


@dataclass(frozen=True)
class FixedClock:
    """A clock stuck on one day, for tests and replays."""

    day: date

    def today(self) -> date:
        """The fixed day."""
        return self.day

"""Per-unit quiet hours: when a notification may go out, in Vietnam's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from dondoc.kernel.clock import VIETNAM

SATURDAY = 5


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly quiet window (may cross midnight, e.g. 22:00–06:30), optionally whole weekends."""

    start: time
    end: time
    weekends: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock times in Vietnam; give naive times")


def _night_end(quiet: QuietHours, local: datetime) -> datetime | None:
    """The end of the nightly window `local` falls in, or None when it is outside it."""
    clock, day = local.time(), local.date()
    if quiet.start == quiet.end:
        return None  # An empty window: nothing is quiet at night.
    if quiet.start < quiet.end:
        inside = quiet.start <= clock < quiet.end
        return datetime.combine(day, quiet.end, VIETNAM) if inside else None
    if clock >= quiet.start:
        return datetime.combine(day + timedelta(days=1), quiet.end, VIETNAM)
    if clock < quiet.end:
        return datetime.combine(day, quiet.end, VIETNAM)
    return None


def next_allowed_time(now: datetime, quiet: QuietHours | None) -> datetime:
    """The earliest moment at or after `now` outside the unit's quiet hours, in Asia/Ho_Chi_Minh."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(VIETNAM)
    if quiet is None:
        return local
    # Each step lands on a later boundary; a weekend and a night window can chain
    # (Friday 23:00 → Saturday 06:30 → Monday 00:00 → Monday 06:30), never more than a few.
    for _ in range(8):
        if quiet.weekends and local.weekday() >= SATURDAY:
            monday = local.date() + timedelta(days=7 - local.weekday())
            local = datetime.combine(monday, time(0, 0), VIETNAM)
            continue
        night_end = _night_end(quiet, local)
        if night_end is None:
            return local
        local = night_end
    raise AssertionError("quiet hours did not settle")  # unreachable with a valid QuietHours

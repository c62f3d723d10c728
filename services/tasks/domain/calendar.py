"""Working-day calendar: weekends, public holidays and make-up working days (làm bù)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Literal

DEFAULT_CALENDAR_FILE = "vn_calendar_2025_2027.toml"


@dataclass(frozen=True)
class WorkCalendar:
    """Which days government offices work: not a weekend or holiday, unless a make-up workday."""

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    weekend: tuple[int, ...] = (5, 6)  # date.weekday(): Saturday, Sunday
    years: frozenset[int] = field(default=frozenset())  # years whose holidays are listed; empty = unknown

    def __init__(
        self,
        holidays: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        weekend: Iterable[int] = (5, 6),
        years: Iterable[int] = (),
    ) -> None:
        object.__setattr__(self, "holidays", frozenset(holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(makeup_workdays))
        object.__setattr__(self, "weekend", tuple(sorted(set(weekend))))
        object.__setattr__(self, "years", frozenset(years))
        if len(self.weekend) >= 7 or any(not 0 <= d <= 6 for d in self.weekend):
            raise ValueError("weekend must name between 0 and 6 weekdays, each 0 (Monday) … 6 (Sunday)")

    def covers(self, day: date) -> bool:
        """Whether the calendar lists this day's year (outside it only weekends are known)."""
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        """Whether offices work on this day."""
        if day in self.makeup_workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_working_day(self, day: date, *, inclusive: bool = False) -> date:
        """The first working day after `day` (or `day` itself when inclusive and working)."""
        current = day if inclusive else day + timedelta(days=1)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def previous_working_day(self, day: date, *, inclusive: bool = False) -> date:
        """The last working day before `day` (or `day` itself when inclusive and working)."""
        current = day if inclusive else day - timedelta(days=1)
        while not self.is_working_day(current):
            current -= timedelta(days=1)
        return current

    def working_days_until(self, start: date, end: date) -> int:
        """How many working days come after `start` up to `end` (included): "còn N ngày làm việc"."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it when negative); `day` itself for 0."""
        step = self.next_working_day if count > 0 else self.previous_working_day
        current = day
        for _ in range(abs(count)):
            current = step(current)
        return current


def calendar_from_mapping(data: Mapping[str, object]) -> WorkCalendar:
    """Build a calendar from the documented shape (see data/vn_calendar_2025_2027.toml).

    Shape: {"years": [int], "weekend": [int] (default [5, 6]),
            "holidays": [date | "YYYY-MM-DD" | {"date": ..., "name": ...}],
            "makeup_workdays": [same as holidays]}
    """
    weekend = data.get("weekend", [5, 6])
    years = data.get("years", [])
    if not isinstance(weekend, list) or not isinstance(years, list):
        raise ValueError("'weekend' and 'years' must be lists of integers")
    return WorkCalendar(
        holidays=_dates(data.get("holidays", []), "holidays"),
        makeup_workdays=_dates(data.get("makeup_workdays", []), "makeup_workdays"),
        weekend=[int(d) for d in weekend],
        years=[int(y) for y in years],
    )


def parse_calendar(text: str, *, fmt: Literal["json", "toml"]) -> WorkCalendar:
    """Parse a calendar file's text (JSON or TOML, same shape) into a WorkCalendar."""
    data = json.loads(text) if fmt == "json" else tomllib.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a calendar file must hold one object")
    return calendar_from_mapping(data)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The shipped Vietnamese government calendar (2025–2027); operators may supply their own file."""
    text = resources.files(__package__).joinpath("data").joinpath(DEFAULT_CALENDAR_FILE).read_text("utf-8")
    return parse_calendar(text, fmt="toml")


def _dates(raw: object, name: str) -> list[date]:
    if not isinstance(raw, list):
        raise ValueError(f"'{name}' must be a list")
    return [_one_date(item, name) for item in raw]


def _one_date(item: object, name: str) -> date:
    if isinstance(item, dict):
        item = item.get("date")
    if isinstance(item, date):
        return item
    if isinstance(item, str):
        return date.fromisoformat(item)
    raise ValueError(f"'{name}' entries must be ISO dates or {{date, name}} tables, got {item!r}")

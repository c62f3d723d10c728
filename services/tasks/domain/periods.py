"""Reporting periods and their data windows (kỳ báo cáo), after Decree 09/2019/NĐ-CP art. 12.

Decree 09 closes every periodic report's data on the 14th: monthly 15th of the previous month – 14th;
quarterly 15th of the month before the quarter – 14th of its last month; six-month 15 Dec of the
previous year – 14 Jun; nine-month 15 Dec – 14 Sep; annual 15 Dec – 14 Dec. A period belongs to the
year its window ends in, so 2026-M01 runs 2025-12-15 … 2026-01-14.

Two choices of ours, not the decree's: the second half-year "2026-S2" (15 Jun – 14 Dec) exists so
that plans' "6 tháng" reports recur and semiannual windows tile the year; and the nine-month window
is cumulative, so dates from 15 Sep to 14 Dec lie in no nine-month period.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from dondoc.kernel import periods as names
from dondoc.kernel.periods import RECURRENCES, Recurrence

PeriodKind = Recurrence  # a reporting period's kind is the plan's reporting frequency
PERIOD_KINDS: Final[tuple[PeriodKind, ...]] = RECURRENCES
TILING_KINDS: Final[tuple[PeriodKind, ...]] = ("monthly", "quarterly", "semiannual", "annual")

DECREE_09_CUTOFF_DAY: Final = 14

# kind → (months a window spans, periods per year)
_SHAPE: Final[dict[PeriodKind, tuple[int, int]]] = {
    "monthly": (1, 12),
    "quarterly": (3, 4),
    "semiannual": (6, 2),
    "ninemonth": (9, 1),
    "annual": (12, 1),
}


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    """One reporting period: its kind, reporting year, index within the year and data window."""

    kind: PeriodKind
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2; 1 for nine-month and annual
    window_start: date
    window_end: date  # the cut-off day (ngày chốt số liệu), inclusive

    @property
    def id(self) -> str:
        """Stable identifier, e.g. 2026-M05, 2026-Q2, 2026-S1, 2026-9M, 2026-Y."""
        return names.format_period_id(self.kind, self.year, self.index)

    def contains(self, day: date) -> bool:
        """Whether the day's data belongs to this period's window."""
        return self.window_start <= day <= self.window_end


def reporting_period(
    kind: PeriodKind, year: int, index: int = 1, *, cutoff_day: int = DECREE_09_CUTOFF_DAY
) -> ReportingPeriod:
    """The period of `kind` numbered `index` in `year`, its window ending on `cutoff_day`."""
    span, per_year = _SHAPE[kind]
    if not 1 <= index <= per_year:
        raise ValueError(f"{kind} periods are numbered 1–{per_year}, got {index}")
    if not 1 <= cutoff_day <= 28:
        raise ValueError("cutoff_day must be 1–28 so that every month has it")
    last_month = 9 if kind == "ninemonth" else index * span
    start_year, start_month = _shift_month(year, last_month, -span)
    return ReportingPeriod(
        kind=kind,
        year=year,
        index=index,
        window_start=date(start_year, start_month, cutoff_day) + timedelta(days=1),
        window_end=date(year, last_month, cutoff_day),
    )


def period_containing(
    kind: PeriodKind, day: date, *, cutoff_day: int = DECREE_09_CUTOFF_DAY
) -> ReportingPeriod | None:
    """The period of `kind` whose window holds `day`; None only for nine-month gaps (15 Sep – 14 Dec)."""
    # Data after the cut-off belongs to the next month, possibly the next year's first period.
    year, month = (day.year, day.month) if day.day <= cutoff_day else _shift_month(day.year, day.month, 1)
    if kind == "ninemonth":
        candidate = reporting_period("ninemonth", year, cutoff_day=cutoff_day)
        return candidate if candidate.contains(day) else None
    span, _ = _SHAPE[kind]
    return reporting_period(kind, year, (month - 1) // span + 1, cutoff_day=cutoff_day)


def periods_between(
    kind: PeriodKind, start: date, end: date, *, cutoff_day: int = DECREE_09_CUTOFF_DAY
) -> list[ReportingPeriod]:
    """Every period of `kind` whose window overlaps [start, end], in order."""
    if end < start:
        return []
    return list(_overlapping(kind, start, end, cutoff_day))


def parse_period_id(text: str, *, cutoff_day: int = DECREE_09_CUTOFF_DAY) -> ReportingPeriod:
    """The period an id such as "2026-Q2" names; ValueError for anything else."""
    name = names.parse_period_id(text)
    return reporting_period(name.kind, name.year, name.index, cutoff_day=cutoff_day)


def _overlapping(kind: PeriodKind, start: date, end: date, cutoff_day: int) -> Iterator[ReportingPeriod]:
    _, per_year = _SHAPE[kind]
    # Windows reach back at most to 15 Dec of the previous year, so start one year early.
    for year in range(start.year, end.year + 2):
        for index in range(1, per_year + 1):
            period = reporting_period(kind, year, index, cutoff_day=cutoff_day)
            if period.window_end >= start and period.window_start <= end:
                yield period


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    zero_based = year * 12 + (month - 1) + delta
    return zero_based // 12, zero_based % 12 + 1

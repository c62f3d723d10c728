"""Decree 09/2019/NĐ-CP reporting periods: windows, ids, tiling, and lookup by date."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.tasks.domain.periods import (
    TILING_KINDS,
    PeriodKind,
    parse_period_id,
    period_containing,
    periods_between,
    reporting_period,
)

D = date

# Written by hand from Decree 09/2019/NĐ-CP art. 12 (data cut-off on the 14th):
# (kind, year, index, id, window start, window end)
DECREE_09_WINDOWS: list[tuple[PeriodKind, int, int, str, date, date]] = [
    ("monthly", 2026, 1, "2026-M01", D(2025, 12, 15), D(2026, 1, 14)),
    ("monthly", 2026, 3, "2026-M03", D(2026, 2, 15), D(2026, 3, 14)),
    ("monthly", 2026, 5, "2026-M05", D(2026, 4, 15), D(2026, 5, 14)),
    ("monthly", 2026, 12, "2026-M12", D(2026, 11, 15), D(2026, 12, 14)),
    ("quarterly", 2026, 1, "2026-Q1", D(2025, 12, 15), D(2026, 3, 14)),
    ("quarterly", 2026, 2, "2026-Q2", D(2026, 3, 15), D(2026, 6, 14)),
    ("quarterly", 2026, 3, "2026-Q3", D(2026, 6, 15), D(2026, 9, 14)),
    ("quarterly", 2026, 4, "2026-Q4", D(2026, 9, 15), D(2026, 12, 14)),
    ("semiannual", 2026, 1, "2026-S1", D(2025, 12, 15), D(2026, 6, 14)),
    ("semiannual", 2026, 2, "2026-S2", D(2026, 6, 15), D(2026, 12, 14)),
    ("ninemonth", 2026, 1, "2026-9M", D(2025, 12, 15), D(2026, 9, 14)),
    ("annual", 2026, 1, "2026-Y", D(2025, 12, 15), D(2026, 12, 14)),
    ("annual", 2025, 1, "2025-Y", D(2024, 12, 15), D(2025, 12, 14)),
]


@pytest.mark.parametrize(("kind", "year", "index", "period_id", "start", "end"), DECREE_09_WINDOWS)
def test_each_period_has_the_decree_09_data_window_and_a_readable_id(
    kind: PeriodKind, year: int, index: int, period_id: str, start: date, end: date
) -> None:
    period = reporting_period(kind, year, index)
    assert (period.id, period.window_start, period.window_end) == (period_id, start, end)
    assert parse_period_id(period_id) == period


@pytest.mark.parametrize(("kind", "year", "index", "period_id", "start", "end"), DECREE_09_WINDOWS)
def test_the_first_and_last_day_of_a_window_belong_to_its_period(
    kind: PeriodKind, year: int, index: int, period_id: str, start: date, end: date
) -> None:
    assert period_containing(kind, start) == reporting_period(kind, year, index)
    assert period_containing(kind, end) == reporting_period(kind, year, index)


def _id(kind: PeriodKind, day: date) -> str | None:
    period = period_containing(kind, day)
    return None if period is None else period.id


def test_data_after_the_14_december_cutoff_counts_toward_next_years_reports() -> None:
    day = D(2026, 12, 20)
    assert _id("monthly", day) == "2027-M01"
    assert _id("annual", day) == "2027-Y"
    assert _id("semiannual", day) == "2027-S1"


def test_no_nine_month_report_covers_the_last_quarter_of_the_data_year() -> None:
    assert period_containing("ninemonth", D(2026, 9, 15)) is None
    assert period_containing("ninemonth", D(2026, 12, 14)) is None
    assert _id("ninemonth", D(2026, 12, 15)) == "2027-9M"


def test_periods_between_lists_every_window_that_overlaps_the_range() -> None:
    ids = [p.id for p in periods_between("quarterly", D(2026, 3, 1), D(2026, 9, 14))]
    assert ids == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert periods_between("annual", D(2026, 5, 1), D(2026, 4, 1)) == []


def test_an_out_of_range_period_or_id_is_refused() -> None:
    with pytest.raises(ValueError):
        reporting_period("quarterly", 2026, 5)
    with pytest.raises(ValueError):
        parse_period_id("2026-Q5")
    with pytest.raises(ValueError):
        parse_period_id("Q2/2026")


def test_another_cutoff_day_shifts_every_window() -> None:
    period = reporting_period("monthly", 2026, 5, cutoff_day=20)
    assert (period.window_start, period.window_end) == (D(2026, 4, 21), D(2026, 5, 20))


@given(st.sampled_from(TILING_KINDS), st.integers(2000, 2100))
def test_consecutive_windows_tile_the_data_year_without_gap_or_overlap(kind: PeriodKind, year: int) -> None:
    periods = periods_between(kind, D(year, 1, 1), D(year, 12, 31))
    for earlier, later in itertools.pairwise(periods):
        assert later.window_start == earlier.window_end + timedelta(days=1)
    data_year = [p for p in periods if p.year == year]
    assert data_year[0].window_start == D(year - 1, 12, 15)
    assert data_year[-1].window_end == D(year, 12, 14)


@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)))
def test_every_date_falls_in_exactly_one_period_of_each_tiling_kind(day: date) -> None:
    for kind in TILING_KINDS:
        holding = periods_between(kind, day - timedelta(days=400), day + timedelta(days=400))
        matches = [p for p in holding if p.contains(day)]
        assert len(matches) == 1
        assert period_containing(kind, day) == matches[0]


@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)))
def test_every_date_falls_in_at_most_one_nine_month_period(day: date) -> None:
    around = periods_between("ninemonth", day - timedelta(days=800), day + timedelta(days=800))
    matches = [p for p in around if p.contains(day)]
    assert len(matches) <= 1
    assert period_containing("ninemonth", day) == (matches[0] if matches else None)

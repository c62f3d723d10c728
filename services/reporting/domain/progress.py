"""Report arrival: completeness and timeliness, as DHIS2 computes its reporting rates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from services.reporting.domain.inputs import ExpectedReport, ReceivedReport, ReportingInputs, Unit, UnitKind
from services.reporting.domain.submission import ReportingProgress, ReportingRateRow, UnitReportingRow
from services.reporting.domain.units import KIND_LABELS, KIND_ORDER, find_unit, unit_sort_key
from services.reporting.domain.vi import local_date

CITY_LABEL = "Toàn thành phố"


PeriodIds = frozenset[str] | None


def expected_in_period(
    inputs: ReportingInputs, period_start: date, period_end: date, period_ids: PeriodIds = None
) -> list[ExpectedReport]:
    """Expected reports of the named reporting periods, or else those due within the compiled dates.

    A named period (kỳ báo cáo) is chosen by its id: its reports fall due after its data window closes,
    so a deadline test on the window would miss them all.
    """
    if period_ids is not None:
        return [e for e in inputs.expected_reports if e.period_id in period_ids]
    return [e for e in inputs.expected_reports if period_start <= e.deadline <= period_end]


def first_arrivals(inputs: ReportingInputs, as_of: date) -> dict[tuple[str, str], datetime]:
    """When each (unit, period) report first arrived: a resend does not make a late report on time."""
    first: dict[tuple[str, str], datetime] = {}
    for report in inputs.received_reports:
        if local_date(report.received_at) > as_of:
            continue
        key = (report.unit_code, report.period_id)
        if key not in first or report.received_at < first[key]:
            first[key] = report.received_at
    return first


def approved_reports(
    inputs: ReportingInputs, period_start: date, period_end: date, period_ids: PeriodIds = None
) -> list[ReceivedReport]:
    """Approved periodic reports of the compiled period, the latest per (unit, period)."""
    expected = expected_in_period(inputs, period_start, period_end, period_ids)
    in_scope = {(e.unit_code, e.period_id) for e in expected}
    latest: dict[tuple[str, str], ReceivedReport] = {}
    for report in inputs.received_reports:
        key = (report.unit_code, report.period_id)
        if report.approved and key in in_scope:
            held = latest.get(key)
            if held is None or report.received_at > held.received_at:
                latest[key] = report
    return [latest[key] for key in sorted(latest)]


def reporting_progress(
    inputs: ReportingInputs,
    units: dict[str, Unit],
    period_start: date,
    period_end: date,
    as_of: date,
    period_ids: PeriodIds = None,
) -> ReportingProgress:
    """Completeness (received / expected) and timeliness (received by deadline / expected).

    Arrival counts, approval does not: sending the report is the unit's duty, checking it is ours.
    """
    arrivals = first_arrivals(inputs, as_of)
    per_unit: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
    for expected in expected_in_period(inputs, period_start, period_end, period_ids):
        arrived = arrivals.get((expected.unit_code, expected.period_id))
        on_time = arrived is not None and local_date(arrived) <= expected.deadline
        per_unit[expected.unit_code].append((expected.period_id, arrived is not None, on_time))
    rows = [_unit_row(find_unit(units, code), entries) for code, entries in per_unit.items()]
    rows.sort(key=lambda row: unit_sort_key(find_unit(units, row.unit_code)))
    by_kind: list[tuple[UnitKind, ReportingRateRow]] = []
    for kind in KIND_ORDER:
        of_kind = [row.rates for row in rows if row.kind == kind]
        if of_kind:
            by_kind.append((kind, _sum_rows(KIND_LABELS[kind], of_kind)))
    return ReportingProgress(
        city=_sum_rows(CITY_LABEL, [row.rates for row in rows]), by_kind=tuple(by_kind), by_unit=tuple(rows)
    )


def _unit_row(unit: Unit, entries: list[tuple[str, bool, bool]]) -> UnitReportingRow:
    entries.sort()
    return UnitReportingRow(
        unit_code=unit.code,
        unit_name=unit.name,
        kind=unit.kind,
        rates=ReportingRateRow(
            label=unit.name,
            expected=len(entries),
            received=sum(1 for _, received, _ in entries if received),
            on_time=sum(1 for _, _, on_time in entries if on_time),
        ),
        missing_periods=tuple(period for period, received, _ in entries if not received),
        late_periods=tuple(period for period, received, on_time in entries if received and not on_time),
    )


def _sum_rows(label: str, rows: list[ReportingRateRow]) -> ReportingRateRow:
    return ReportingRateRow(
        label=label,
        expected=sum(r.expected for r in rows),
        received=sum(r.received for r in rows),
        on_time=sum(r.on_time for r in rows),
    )

"""What the dashboard shows, built from a compiled Submission (pure: no store, no HTTP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dondoc.kernel.clock import VIETNAM
from dondoc.kernel.periods import period_label
from dondoc.kernel.status import REPORTED_STATUSES
from services.reporting.domain import ReportingInputs, StatusCounts, Submission, TaskStatus
from services.reporting.domain.progress import reporting_progress
from services.reporting.domain.rates import Rate
from services.reporting.domain.submission import ReportingRateRow, UnitSummary
from services.reporting.domain.units import KIND_LABELS
from services.reporting.domain.vi import format_date, format_int, local_date


@dataclass(frozen=True, slots=True)
class StatusStyle:
    """How a status reads at a glance: a colour (css), a symbol and words, never the colour alone."""

    code: str
    css: str
    symbol: str
    short: str
    label: str


_LOOKS = {
    TaskStatus.DONE_ON_TIME: ("ok", "✓", "Đúng hạn"),
    TaskStatus.DONE_LATE: ("late", "✓!", "Xong muộn"),
    TaskStatus.IN_PROGRESS: ("open", "○", "Đang làm"),
    TaskStatus.OVERDUE: ("overdue", "✗", "Quá hạn"),
}
STYLES: dict[TaskStatus, StatusStyle] = {
    s: StatusStyle(s.value, css, symbol, short, s.label) for s, (css, symbol, short) in _LOOKS.items()
}
LEGEND: tuple[StatusStyle, ...] = tuple(STYLES[s] for s in REPORTED_STATUSES)


def style(status: TaskStatus) -> StatusStyle:
    """The style of one status."""
    return STYLES[status]


@dataclass(frozen=True, slots=True)
class StatusCount:
    """One status with its count and share."""

    style: StatusStyle
    count: int
    share: str


@dataclass(frozen=True, slots=True)
class CountsView:
    """Counts by status, in the order reports print them."""

    total: int
    items: tuple[StatusCount, ...]

    def count(self, code: str) -> int:
        """The count for a status code."""
        return next(i.count for i in self.items if i.style.code == code)


def counts_view(counts: StatusCounts) -> CountsView:
    """A StatusCounts as the dashboard shows it."""
    items = tuple(StatusCount(STYLES[s], counts.count(s), counts.share(s).text) for s in REPORTED_STATUSES)
    return CountsView(counts.total, items)


@dataclass(frozen=True, slots=True)
class RateView:
    """Completeness and timeliness of a group of expected reports."""

    label: str
    expected: int
    received: int
    on_time: int
    completeness: Rate
    timeliness: Rate


def rate_view(row: ReportingRateRow, label: str | None = None) -> RateView:
    """A rates row as the dashboard shows it."""
    return RateView(
        label or row.label, row.expected, row.received, row.on_time, row.completeness, row.timeliness
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """A plan's headline figures for one scope."""

    tasks: CountsView
    assignments: CountsView
    not_reported: int
    reporting: RateView
    by_kind: tuple[RateView, ...]


def summary(sub: Submission) -> Summary:
    """Tasks and assignments by status, results still missing, report arrival for the city and by type."""
    return Summary(
        tasks=counts_view(sub.task_counts),
        assignments=counts_view(sub.assignment_counts),
        not_reported=sum(len(t.not_reported) for t in sub.tasks),
        reporting=rate_view(sub.reporting.city),
        by_kind=tuple(rate_view(row) for _, row in sub.reporting.by_kind),
    )


@dataclass(frozen=True, slots=True)
class MissingReport:
    """A unit that has not sent (or sent late) the periodic reports it owes in the scope."""

    unit_code: str
    unit_name: str
    kind: str
    missing: tuple[str, ...]
    late: tuple[str, ...]


def missing_reports(sub: Submission) -> tuple[MissingReport, ...]:
    """Units still owing a periodic report of the scope, in report order."""
    return tuple(
        MissingReport(
            row.unit_code,
            row.unit_name,
            KIND_LABELS[row.kind],
            tuple(period_label(p) for p in row.missing_periods),
            tuple(period_label(p) for p in row.late_periods),
        )
        for row in sub.reporting.by_unit
        if row.missing_periods
    )


@dataclass(frozen=True, slots=True)
class SilentUnit:
    """A unit that reported no result yet on some of its assignments."""

    unit_code: str
    unit_name: str
    task_refs: tuple[str, ...]


def silent_units(sub: Submission) -> tuple[SilentUnit, ...]:
    """Units with assignments but no result counted yet, and on which tasks."""
    return tuple(
        SilentUnit(u.unit.code, u.unit.name, tuple(line.task_ref for line in u.results if not line.reported))
        for u in sub.units
        if any(not line.reported for line in u.results)
    )


@dataclass(frozen=True, slots=True)
class PeriodPoint:
    """Completeness and timeliness of one reporting period, city-wide."""

    period_id: str
    label: str
    expected: int
    received: int
    on_time: int
    completeness: Rate
    timeliness: Rate


def timeline(inputs: ReportingInputs, period_ids: Sequence[str], as_of: date) -> tuple[PeriodPoint, ...]:
    """Each period of the plan, in order, as the submission for that period would count it."""
    units = {u.code: u for u in inputs.units}
    points = []
    for period_id in period_ids:
        city = reporting_progress(inputs, units, date.min, date.max, as_of, frozenset({period_id})).city
        points.append(
            PeriodPoint(
                period_id,
                period_label(period_id),
                city.expected,
                city.received,
                city.on_time,
                city.completeness,
                city.timeliness,
            )
        )
    return tuple(points)


def find_unit(sub: Submission, code: str) -> UnitSummary | None:
    """A unit's summary in the submission."""
    return next((u for u in sub.units if u.unit.code == code), None)


def unit_rates(sub: Submission, code: str) -> RateView | None:
    """A unit's report arrival in the scope."""
    row = next((r for r in sub.reporting.by_unit if r.unit_code == code), None)
    return rate_view(row.rates, row.unit_name) if row else None


def assignment_ids(inputs: ReportingInputs) -> dict[tuple[str, str], str]:
    """(unit, task ref) → assignment id, to link a unit's lines to their assignment pages."""
    refs = {t.id: t.ref for t in inputs.tasks}
    return {(a.unit_code, refs[a.task_id]): a.id for a in inputs.assignments if a.task_id in refs}


def attachment(text: str) -> tuple[str, str | None]:
    """An attachment as (label, link), from the workspace's "name: https://…/workspace/evidence/…".

    Only an http(s) address becomes a link, so a unit's text never smuggles in another scheme (javascript:).
    """
    label, sep, address = text.rpartition(": ")
    if sep and address.startswith(("https://", "http://")) and " " not in address:
        return label, address
    return text, None


def when(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Hải Phòng."""
    if moment is None:
        return ""
    local = moment if moment.tzinfo is None else moment.astimezone(VIETNAM)
    return f"{format_date(local_date(moment))} {local:%H:%M}"


def number(value: int) -> str:
    """3.300."""
    return format_int(value)

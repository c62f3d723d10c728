"""The compiled submission: what the city sends up, before it is dressed as a document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from dondoc.kernel.roles import Role
from dondoc.kernel.status import TaskStatus
from services.reporting.domain.inputs import Plan, Unit, UnitKind
from services.reporting.domain.rates import Rate, StatusCounts

ParagraphKind = Literal["figures", "placeholder", "quote", "subheading"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of a unit, quoted as written and attributed (source: a task ref or a period)."""

    unit_code: str
    unit_name: str
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class AssignedUnit:
    """One unit's standing on one task."""

    unit_code: str
    unit_name: str
    role: Role
    due: date | None
    status: TaskStatus
    reported: bool
    completed_on: date | None
    output: str


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """A task across every unit assigned to it; `status` follows the lead units."""

    task_id: str
    ref: str
    title: str
    due: date | None
    status: TaskStatus
    counts: StatusCounts
    units: tuple[AssignedUnit, ...]
    outputs: tuple[Quote, ...]
    not_reported: tuple[str, ...]

    @property
    def coordinating(self) -> int:
        """How many units coordinate (phối hợp) the task."""
        return sum(1 for u in self.units if u.role == "phoi_hop")

    @property
    def contributed(self) -> int:
        """How many coordinating units reported a contribution that counts."""
        return sum(1 for u in self.units if u.role == "phoi_hop" and u.reported)

    @property
    def standing(self) -> str:
        """The lead's status apart from the contributions ('Chủ trì: …; phối hợp: 7/124 đơn vị …')."""
        lead = f"Chủ trì: {self.status.label.lower()}"
        if not self.coordinating:
            return lead
        return f"{lead}; phối hợp: {self.contributed}/{self.coordinating} đơn vị đã báo cáo"


@dataclass(frozen=True, slots=True)
class UnitResultLine:
    """One assignment of a unit, with its current approved result if any."""

    task_ref: str
    task_title: str
    role: Role
    due: date | None
    status: TaskStatus
    reported: bool
    completed_on: date | None
    output: str
    narrative: str
    version: int | None


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """A unit's results, difficulties and proposals."""

    unit: Unit
    counts: StatusCounts
    results: tuple[UnitResultLine, ...]
    difficulties: tuple[Quote, ...]
    proposals: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class ReportingRateRow:
    """Completeness and timeliness (DHIS2 'reporting rate' and 'reporting rate on time')."""

    label: str
    expected: int
    received: int
    on_time: int

    @property
    def completeness(self) -> Rate:
        """Share of expected reports that arrived."""
        return Rate(self.received, self.expected)

    @property
    def timeliness(self) -> Rate:
        """Share of expected reports that arrived by their deadline."""
        return Rate(self.on_time, self.expected)


@dataclass(frozen=True, slots=True)
class UnitReportingRow:
    """Reporting rates of one unit, with the periods it still owes."""

    unit_code: str
    unit_name: str
    kind: UnitKind
    rates: ReportingRateRow
    missing_periods: tuple[str, ...]
    late_periods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportingProgress:
    """Report arrival for the whole city, per unit type and per unit."""

    city: ReportingRateRow
    by_kind: tuple[tuple[UnitKind, ReportingRateRow], ...]
    by_unit: tuple[UnitReportingRow, ...]


@dataclass(frozen=True, slots=True)
class WardPlan:
    """A ward's own plan implementing a city task."""

    unit_code: str
    unit_name: str
    plan_number: str


@dataclass(frozen=True, slots=True)
class CascadeRow:
    """Which wards assigned to a city task issued their own plan for it, and which did not yet."""

    task_id: str
    task_ref: str
    task_title: str
    issued: tuple[WardPlan, ...]
    pending: tuple[str, ...]
    pending_codes: tuple[str, ...] = ()

    @property
    def coverage(self) -> Rate:
        """Share of the wards concerned that issued a plan."""
        return Rate(len(self.issued), len(self.issued) + len(self.pending))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the narrative; placeholders are the parts only a person can write."""

    kind: ParagraphKind
    text: str


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    """A numbered part of the report body (I, II, III)."""

    heading: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Submission:
    """The city-level compilation for one plan and one reporting period."""

    plan: Plan
    period_start: date
    period_end: date
    as_of: date
    task_counts: StatusCounts
    assignment_counts: StatusCounts
    tasks: tuple[TaskSummary, ...]
    units: tuple[UnitSummary, ...]
    reporting: ReportingProgress
    cascade: tuple[CascadeRow, ...]
    difficulties: tuple[Quote, ...]
    proposals: tuple[Quote, ...]
    narrative: tuple[NarrativeSection, ...]

    @property
    def period_closed(self) -> bool:
        """Whether the figures stand at the period's data cut-off (else the period runs on: today's)."""
        return self.as_of >= self.period_end

"""The JSON form of a submission, as published in OpenAPI (schema_version 1; additive changes only)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.kernel.roles import Role

StatusCode = Literal[
    "hoan_thanh_dung_han", "hoan_thanh_qua_han", "dang_thuc_hien_trong_han", "qua_han_chua_hoan_thanh"
]
UnitKindCode = Literal["phuong", "xa", "dac_khu", "department", "other"]
RoleCode = Role


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RateOut(_Out):
    """An exact share (numerator/denominator) with its rounded percentage and Vietnamese text."""

    numerator: int
    denominator: int
    percent: float | None = Field(description="Rounded half up to one decimal; null when denominator is 0")
    text: str = Field(description="As printed in the report, e.g. '85,5%'")


class StatusCountsOut(_Out):
    """Counts per status, and each status's share of the total."""

    done_on_time: int
    done_late: int
    in_progress: int
    overdue: int
    total: int
    shares: dict[StatusCode, RateOut]


class QuoteOut(_Out):
    """A unit's own words (output, difficulty or proposal), attributed."""

    unit_code: str
    unit_name: str
    source: str
    text: str


class AssignedUnitOut(_Out):
    """One unit's standing on one task."""

    unit_code: str
    unit_name: str
    role: RoleCode
    due: date | None
    status: StatusCode
    status_label: str
    reported: bool
    completed_on: date | None
    output: str


class TaskOut(_Out):
    """A task across all its units."""

    task_id: str
    ref: str
    title: str
    due: date | None
    status: StatusCode = Field(description="Tình trạng của nhiệm vụ theo các đơn vị chủ trì")
    status_label: str
    counts: StatusCountsOut
    coordinating: int = Field(description="Số đơn vị phối hợp")
    coordinating_reported: int = Field(description="Số đơn vị phối hợp đã báo cáo phần việc của mình")
    standing: str = Field(description="Tình trạng của chủ trì và phần phối hợp, bằng lời")
    units: list[AssignedUnitOut]
    outputs: list[QuoteOut]
    not_reported: list[str]


class UnitResultOut(_Out):
    """One assignment of a unit with its current approved result."""

    task_ref: str
    task_title: str
    role: RoleCode
    due: date | None
    status: StatusCode
    status_label: str
    reported: bool
    completed_on: date | None
    output: str
    narrative: str
    version: int | None


class UnitOut(_Out):
    """A unit's results, difficulties and proposals."""

    code: str
    name: str
    kind: UnitKindCode
    parent: str | None
    counts: StatusCountsOut
    results: list[UnitResultOut]
    difficulties: list[QuoteOut]
    proposals: list[QuoteOut]


class RateRowOut(_Out):
    """Completeness (received/expected) and timeliness (received by deadline/expected)."""

    label: str
    expected: int
    received: int
    on_time: int
    completeness: RateOut
    timeliness: RateOut


class KindRateOut(_Out):
    """Reporting rates of one unit type."""

    kind: UnitKindCode
    rates: RateRowOut


class UnitRateOut(_Out):
    """Reporting rates of one unit and the periods it still owes or sent late."""

    unit_code: str
    unit_name: str
    kind: UnitKindCode
    rates: RateRowOut
    missing_periods: list[str]
    late_periods: list[str]


class ReportingOut(_Out):
    """Report arrival for the city, per unit type and per unit."""

    city: RateRowOut
    by_kind: list[KindRateOut]
    by_unit: list[UnitRateOut]


class WardPlanOut(_Out):
    """A ward plan implementing a city task."""

    unit_code: str
    unit_name: str
    plan_number: str


class CascadeOut(_Out):
    """Ward plans issued (and still pending) for one city task."""

    task_id: str
    task_ref: str
    task_title: str
    issued: list[WardPlanOut]
    pending: list[str]
    coverage: RateOut


class ParagraphOut(_Out):
    """A narrative paragraph; kind 'placeholder' marks text a person must write."""

    kind: Literal["figures", "placeholder", "quote", "subheading"]
    text: str


class SectionOut(_Out):
    """A section of the narrative skeleton."""

    heading: str
    paragraphs: list[ParagraphOut]


class PlanOut(_Out):
    """The plan compiled; number and issued_on are null on a draft."""

    id: str
    number: str | None
    title: str
    issuer_name: str
    issued_on: date | None


class SubmissionDocument(_Out):
    """The compiled city submission for one plan and one reporting period."""

    schema_version: Literal[1] = 1
    plan: PlanOut
    period_start: date
    period_end: date
    as_of: date = Field(description="Ngày xét số liệu: ngày chốt số liệu của kỳ đã kết thúc, hoặc hôm nay")
    period_closed: bool = Field(
        default=True, description="Kỳ đã kết thúc (số liệu tính đến ngày chốt); false: kỳ đang diễn ra"
    )
    task_counts: StatusCountsOut
    assignment_counts: StatusCountsOut
    tasks: list[TaskOut]
    units: list[UnitOut]
    reporting: ReportingOut
    cascade: list[CascadeOut]
    difficulties: list[QuoteOut]
    proposals: list[QuoteOut]
    narrative: list[SectionOut]

"""What the reporting read model hands to the compiler: plain, frozen facts filled by the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from dondoc.kernel.roles import Role

UnitKind = Literal["phuong", "xa", "dac_khu", "department", "other"]


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan (kế hoạch) whose results are compiled; number and date stay None on a draft."""

    id: str
    number: str | None
    title: str
    issuer_name: str
    issued_on: date | None


@dataclass(frozen=True, slots=True)
class Task:
    """One task (nhiệm vụ) of a plan; `due` is None for ongoing or on-request tasks."""

    id: str
    plan_id: str
    ref: str
    title: str
    due: date | None
    kind: str = "deadline"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of the directory: a ward/commune/special zone, a city department or another body."""

    code: str
    name: str
    kind: UnitKind
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A task given to one unit, to lead (chủ trì) or to coordinate (phối hợp)."""

    id: str
    task_id: str
    unit_code: str
    role: Role
    due: date | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """One version of a unit's result for an assignment; only approved versions are compiled.

    Done means `status_reported` "hoan_thanh" with `completed_on`, the fact the status is judged on
    (`dondoc.kernel.versions.completion`, the rule tasks applies too).
    """

    assignment_id: str
    version: int
    status_reported: str
    completed_on: date | None
    output: str
    narrative: str
    difficulties: str
    proposals: str
    reported_at: datetime
    approved: bool


@dataclass(frozen=True, slots=True)
class ExpectedReport:
    """A report a unit owes for a reporting period (kỳ báo cáo), with its send-by deadline."""

    unit_code: str
    period_id: str
    deadline: date


@dataclass(frozen=True, slots=True)
class ReceivedReport:
    """A periodic report that arrived from a unit."""

    unit_code: str
    period_id: str
    received_at: datetime
    approved: bool
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True, slots=True)
class CascadeLink:
    """A ward plan that implements a city task ("Thực hiện Kế hoạch số … của UBND thành phố")."""

    city_task_id: str
    ward_unit_code: str
    ward_plan_number: str


@dataclass(frozen=True, slots=True)
class ReportingInputs:
    """Everything the compiler reads for one plan."""

    plan: Plan
    tasks: tuple[Task, ...]
    units: tuple[Unit, ...]
    assignments: tuple[Assignment, ...]
    results: tuple[Result, ...] = ()
    expected_reports: tuple[ExpectedReport, ...] = ()
    received_reports: tuple[ReceivedReport, ...] = ()
    cascade_links: tuple[CascadeLink, ...] = field(default=())

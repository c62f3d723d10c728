"""What the tasks service answers over HTTP (kept apart from its tables)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from dondoc.kernel.roles import Role


class AssignmentOut(BaseModel):
    """One unit's part in one task, with its current status."""

    id: str
    plan_id: str
    plan_version: int
    task_ref: str
    task_title: str
    unit: str
    unit_name: str
    role: str
    output: str | None
    timeframe_kind: str
    timeframe_text: str | None
    start: date | None
    due: date | None
    status: str
    completed_on: date | None
    revision: int
    designated: bool
    updated_at: datetime


class ContributionOut(BaseModel):
    """A result a unit sent on its assignment (for a coordinating unit: its contribution)."""

    result_id: str
    version: int
    unit: str
    role: str | None
    status: str
    completed_on: date | None
    output: str | None
    narrative: str | None
    submitted_at: datetime


class TaskAssignmentsOut(BaseModel):
    """A task across units: the lead's status decides the task's, coordinating units contribute."""

    plan_id: str
    task_ref: str
    task_status: str | None
    assignments: list[AssignmentOut]
    contributions: list[ContributionOut]


class PeriodStatusOut(BaseModel):
    """An ongoing or recurring assignment's status in one reporting period."""

    period_id: str
    window_start: date
    window_end: date
    deadline: date
    reported_on: date | None
    status: str


class DesignationIn(BaseModel):
    """The units a person designates for a task that named none in particular."""

    units: list[str] = Field(min_length=1, max_length=500, description="Mã đơn vị, ví dụ HP.SO-TU-PHAP")
    role: Role = "chu_tri"


class AwaitingOut(BaseModel):
    """A task part waiting for a person to designate units."""

    marker_id: str
    plan_id: str
    task_ref: str
    task_title: str
    role: str
    text: str
    reason: str
    issuer_unit: str | None
    created_at: datetime
    resolved_at: datetime | None


class WardLinkOut(BaseModel):
    """A ward task carrying out a city task; `flagged` when linked by title similarity only."""

    plan_id: str
    unit: str | None
    unit_name: str | None
    task_ref: str
    task_title: str
    method: str
    score: float
    flagged: bool


class CascadeTaskOut(BaseModel):
    """One city task and the ward plans' tasks that implement it."""

    task_ref: str
    task_title: str
    wards: list[WardLinkOut]


class TickOut(BaseModel):
    """What one tick did."""

    today: date
    ran: bool
    sent: dict[str, int]
    status_changes: int


class SendRuleIn(BaseModel):
    """When this obligation's reports must be sent: N working days after the cut-off, or before day D."""

    working_days_after_cutoff: int | None = Field(default=None, ge=0, le=60)
    send_before_day: int | None = Field(default=None, ge=2, le=28)
    lower_level_lead_days: int = Field(default=0, ge=0, le=30)
    level: Literal["commune", "department", "city"] = "city"


class ObligationOut(BaseModel):
    """A plan's reporting obligation: who reports, how often, and its send-by rule (null: the defaults)."""

    obligation_id: str
    plan_id: str
    units: list[str]
    kinds: list[str]
    recipient: str | None
    text: str | None
    send_rule: dict[str, object] | None

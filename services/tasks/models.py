"""The tasks service's store: plans as received, assignments, what waits for a person, and what time fired."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.directory import define_directory_table
from dondoc.platform.tables import define_platform_tables, no_items


class TasksTable(SQLModel, registry=registry()):
    """Base of the tasks service's tables."""


metadata = TasksTable.metadata
PLATFORM = define_platform_tables(metadata)
# The newest unit directory intake published (directory.published): group expansion and names follow it.
DIRECTORY = define_directory_table(metadata)


class PlanCopy(TasksTable, table=True):
    """The newest version of each plan this service has turned into assignments."""

    __tablename__ = "plans"

    plan_id: str = Field(primary_key=True, max_length=64)
    version: int
    issuer_unit: str | None = Field(default=None, max_length=64)
    number: str | None = Field(default=None, max_length=100)
    title: str
    implements_plan_id: str | None = Field(default=None, max_length=64, index=True)
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime
    received_on: date | None = None  # the Vietnamese day it arrived, by the service's clock


class Assignment(TasksTable, table=True):
    """One unit's part in one task: chu_tri (lead) or phoi_hop (coordinating)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("plan_id", "task_ref", "unit", "role"),)

    id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    plan_version: int
    task_ref: str = Field(max_length=64)
    task_title: str
    unit: str = Field(index=True, max_length=64)
    unit_name: str
    role: str = Field(max_length=16)
    output: str | None = None
    timeframe_kind: str = Field(max_length=16)
    timeframe_text: str | None = None
    recurrence: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    start: date | None = None
    due: date | None = Field(default=None, index=True)
    status: str = Field(max_length=32, index=True)
    completed_on: date | None = None
    result_version: int = 0  # newest result applied, so an older correction arriving late is ignored
    source_text: str = ""  # how the plan named the unit ("Các sở, ban, ngành và UBND cấp xã")
    designated: bool = False  # created by a person's designation, not by the plan's text
    revision: int = 1
    withdrawn: bool = False
    assigned_on: date | None = None  # the Vietnamese day it was first given, by the service's clock
    created_at: datetime
    updated_at: datetime


class AwaitingDesignation(TasksTable, table=True):
    """A task part that names no unit in particular: waits for the issuing unit to designate units."""

    __tablename__ = "awaiting_designations"

    marker_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    task_ref: str = Field(max_length=64)
    task_title: str
    role: str = Field(max_length=16)
    text: str
    reason: str = Field(max_length=32)
    issuer_unit: str | None = Field(default=None, max_length=64)
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = Field(default=None, max_length=64)


class TaskLink(TasksTable, table=True):
    """A ward plan's task carrying out a city plan's task (the cascade)."""

    __tablename__ = "task_links"

    plan_id: str = Field(primary_key=True, max_length=64)
    task_ref: str = Field(primary_key=True, max_length=64)
    unit: str | None = Field(default=None, max_length=64)  # the ward that issued the implementing plan
    task_title: str
    parent_plan_id: str = Field(index=True, max_length=64)
    parent_task_ref: str = Field(max_length=64)
    method: str = Field(max_length=16)  # "explicit" (named by the plan) or "similarity" (guessed: flagged)
    score: float = 1.0
    flagged: bool = False


class ResultRecord(TasksTable, table=True):
    """Every result a unit sent on an assignment; a coordinating unit's result is its contribution."""

    __tablename__ = "results"

    result_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    assignment_id: str = Field(index=True, max_length=64)
    unit: str = Field(max_length=64)
    role: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=32)
    completed_on: date | None = None
    output: str | None = None
    narrative: str | None = None
    submitted_at: datetime


class ResultReview(TasksTable, table=True):
    """A compiler's latest decision on one version of a result (submission.reviewed): it moves what counts."""

    __tablename__ = "result_reviews"

    result_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    decision: str = Field(max_length=16)  # "accepted" or "returned"
    reviewed_at: datetime


class PeriodStatus(TasksTable, table=True):
    """An ongoing or recurring assignment's status in one reporting period."""

    __tablename__ = "period_statuses"

    assignment_id: str = Field(primary_key=True, max_length=64)
    period_id: str = Field(primary_key=True, max_length=16)
    unit: str = Field(index=True, max_length=64)
    window_start: date
    window_end: date
    deadline: date
    reported_on: date | None = None
    status: str = Field(max_length=32)
    updated_at: datetime


class Obligation(TasksTable, table=True):
    """A plan's periodic reporting duty: who reports, how often, from when."""

    __tablename__ = "obligations"

    obligation_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    units: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    kinds: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    recipient: str | None = Field(default=None, max_length=64)
    text: str | None = None
    starts_on: date
    ends_on: date | None = None
    active: bool = True
    # The send-by rule the issuing unit set for this obligation (ReportingRule fields); None: the defaults.
    send_rule: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ReportReceipt(TasksTable, table=True):
    """A periodic report a unit submitted (from reporting's `report.submitted`)."""

    __tablename__ = "report_receipts"

    report_id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(index=True, max_length=64)
    period_id: str = Field(max_length=16)
    plan_id: str | None = Field(default=None, max_length=64)
    submitted_on: date


class FiredReminder(TasksTable, table=True):
    """A reminder key that fired (or was skipped): UNIQUE, written with the outbox row, so never twice."""

    __tablename__ = "fired_reminders"

    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(max_length=32)
    sent: bool = True
    fired_at: datetime

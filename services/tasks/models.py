"""The tasks service's store: plans as received, and one assignment per task × unit × role."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.tables import define_platform_tables


class TasksTable(SQLModel, registry=registry()):
    """Base of the tasks service's tables."""


metadata = TasksTable.metadata
PLATFORM = define_platform_tables(metadata)


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
    start: date | None = None
    due: date | None = Field(default=None, index=True)
    status: str = Field(max_length=32, index=True)
    completed_on: date | None = None
    revision: int = 1
    withdrawn: bool = False
    created_at: datetime
    updated_at: datetime


class PendingDesignation(TasksTable, table=True):
    """A task part that names no unit in particular: waits for the issuing unit to designate units."""

    __tablename__ = "pending_designations"
    __table_args__ = (UniqueConstraint("plan_id", "task_ref", "role", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(index=True, max_length=64)
    task_ref: str = Field(max_length=64)
    role: str = Field(max_length=16)
    text: str
    issuer_unit: str | None = Field(default=None, max_length=64)
    resolved: bool = False

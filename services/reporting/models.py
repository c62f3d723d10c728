"""Reporting's read model, built only from events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.tables import define_platform_tables


class ReportingTable(SQLModel, registry=registry()):
    """Base of reporting's tables."""


metadata = ReportingTable.metadata
PLATFORM = define_platform_tables(metadata)


class PlanView(ReportingTable, table=True):
    __tablename__ = "plan_view"

    plan_id: str = Field(primary_key=True, max_length=64)
    version: int
    number: str | None = Field(default=None, max_length=100)
    title: str
    issuer_unit: str | None = Field(default=None, max_length=64)
    issued_on: date | None = None
    implements_plan_id: str | None = Field(default=None, max_length=64, index=True)
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class AssignmentView(ReportingTable, table=True):
    __tablename__ = "assignment_view"

    assignment_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    task_ref: str = Field(max_length=64)
    task_title: str
    unit: str = Field(index=True, max_length=64)
    unit_name: str
    role: str = Field(max_length=16)
    due: date | None = None
    status: str = Field(max_length=32)
    withdrawn: bool = False
    updated_at: datetime

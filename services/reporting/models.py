"""Reporting's store: the read model built only from events, and the service's own records.

The read model (`*_view` tables) is a projection: it can be dropped and rebuilt by replaying the
topics (`dondoc rebuild reporting`), and every projection is written so that the order events arrive
in does not change the result. Reviews, generated reports and dashboard sessions are reporting's own
record of what people did here; a rebuild never touches them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.tables import define_platform_tables, no_items


class ReportingTable(SQLModel, registry=registry()):
    """Base of reporting's tables."""


metadata = ReportingTable.metadata
PLATFORM = define_platform_tables(metadata)


class PlanView(ReportingTable, table=True):
    """The newest version of each confirmed plan (plan.received)."""

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
    """One unit's part in one task (task.assigned, task.withdrawn, task.status_changed)."""

    __tablename__ = "assignment_view"

    assignment_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    task_ref: str = Field(max_length=64)
    task_title: str
    unit: str = Field(index=True, max_length=64)
    unit_name: str
    role: str = Field(max_length=16)
    due: date | None = None
    # The tasks service's own judgement, kept for display; the submission judges from dates itself.
    status: str = Field(max_length=32)
    status_as_of: date | None = None
    withdrawn: bool = False
    plan_version: int = 0
    revision: int = 0
    timeframe_kind: str = Field(default="unspecified", max_length=16)
    updated_at: datetime


class ResultView(ReportingTable, table=True):
    """Every version of every result a unit sent (result.submitted); none is ever overwritten."""

    __tablename__ = "result_view"

    result_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    assignment_id: str = Field(index=True, max_length=64)
    unit: str = Field(index=True, max_length=64)
    status: str = Field(max_length=32)
    completed_on: date | None = None
    output: str | None = None
    narrative: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    attachments: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    submitted_at: datetime
    # The person who sent it from intake's workspace ("Name (username)"); None when a unit's system did.
    sender: str | None = Field(default=None, max_length=260)


class ReportView(ReportingTable, table=True):
    """Every version of every periodic report a unit sent (report.submitted)."""

    __tablename__ = "report_view"

    report_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    unit: str = Field(index=True, max_length=64)
    period_id: str = Field(index=True, max_length=32)
    plan_id: str | None = Field(default=None, index=True, max_length=64)
    narrative: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    submitted_at: datetime


class ExpectedReportView(ReportingTable, table=True):
    """A report a unit owes for a period under a plan's obligation (report.due, report.missed)."""

    __tablename__ = "expected_report_view"

    obligation_id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(primary_key=True, max_length=64)
    period_id: str = Field(primary_key=True, max_length=32)
    plan_id: str | None = Field(default=None, index=True, max_length=64)
    window_start: date | None = None
    window_end: date | None = None
    deadline: date
    # Which event the deadline came from: 0 report.expected, 1 report.due, 2 report.missed. The later kind
    # wins whatever order they arrive in (a send-by rule changed meanwhile moves the later ones).
    deadline_rank: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # When tasks decided the deadline kept (the event's envelope time): a deadline announced again after a
    # send-by rule or calendar change is newer and wins over the old one, whatever order they arrive in;
    # the rank only breaks ties. None for rows recorded before this was kept.
    deadline_set_at: datetime | None = None
    missed: bool = False  # report.missed arrived for the deadline kept: it passed without a report


class DirectoryView(ReportingTable, table=True):
    """The newest unit directory intake published (directory.published), as its snapshot."""

    __tablename__ = "directory_view"

    id: int = Field(default=1, primary_key=True)
    version: int
    snapshot: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))


class Review(ReportingTable, table=True):
    """A compiler's decision on one version of a result or periodic report ("verify, then aggregate")."""

    __tablename__ = "reviews"

    kind: str = Field(primary_key=True, max_length=16)  # "result" or "report"
    item_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    decision: str = Field(max_length=16)  # "accepted" or "returned"
    note: str | None = None
    reviewer_key: str = Field(max_length=64)
    reviewer_unit: str | None = Field(default=None, max_length=64)
    reviewer_name: str | None = Field(default=None, max_length=200)  # a person signed in (ADR 0091)
    reviewed_at: datetime


class GeneratedReport(ReportingTable, table=True):
    """A compiled submission, kept with the exact inputs it was compiled from and its documents."""

    __tablename__ = "generated_reports"

    report_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    period_id: str | None = Field(default=None, max_length=32)
    period_start: date
    period_end: date
    as_of: date
    trigger: str = Field(max_length=16)  # "on_demand" or "period_closed"
    # Set for automatic generations only: (plan, period) once, whatever the number of instances.
    auto_key: str | None = Field(default=None, unique=True, max_length=120)
    inputs_digest: str = Field(max_length=64)
    inputs: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    docx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    xlsx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    json_document: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_by: str | None = Field(default=None, max_length=64)
    created_at: datetime


class DashboardSession(ReportingTable, table=True):
    """A signed-in dashboard user: the cookie holds a random token, the store only its hash.

    A key's session names the key (checked again on every request); a person's, handed over from the
    workspace (ADR 0091), names `person:<username>` with the unit and role the hand-over carried, and the
    hand-over's nonce (unique: a token opens one session only)."""

    __tablename__ = "dashboard_sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=64)
    created_at: datetime
    expires_at: datetime
    person_name: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(default=None, max_length=64)
    role: str | None = Field(default=None, max_length=8)
    handover_nonce: str | None = Field(default=None, max_length=64, index=True, unique=True)

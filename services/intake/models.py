"""Intake's store: plans (drafts and confirmed versions), documents, results, reports and the directory."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.tables import define_platform_tables


class IntakeTable(SQLModel, registry=registry()):
    """Base of intake's tables, on intake's own metadata."""


metadata = IntakeTable.metadata
PLATFORM = define_platform_tables(metadata)


class PlanRecord(IntakeTable, table=True):
    __tablename__ = "plans"

    id: str = Field(primary_key=True, max_length=64)
    issuer_unit: str = Field(index=True, max_length=64)
    status: str = Field(max_length=16, index=True)  # draft | confirmed
    version: int = 0  # confirmed versions; 0 while only a draft exists
    number: str | None = Field(default=None, max_length=100)
    title: str
    issued_on: date | None = None
    implements_plan_id: str | None = Field(default=None, max_length=64, index=True)
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    document_id: str | None = Field(default=None, max_length=64)
    # The parser's draft as it came out of the document (with its review flags); None for JSON plans.
    draft: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_by: str = Field(max_length=64)
    created_at: datetime
    updated_at: datetime


class PlanVersion(IntakeTable, table=True):
    """Each confirmed version of a plan, as it was emitted (never overwritten)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(index=True, max_length=64)
    version: int
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    confirmed_by: str = Field(max_length=64)
    confirmed_at: datetime


class DocumentRecord(IntakeTable, table=True):
    """An uploaded plan document, kept as received."""

    __tablename__ = "documents"

    id: str = Field(primary_key=True, max_length=64)
    filename: str = Field(max_length=300)
    content_type: str | None = Field(default=None, max_length=200)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime


class ResultRecord(IntakeTable, table=True):
    """A unit's result on an assignment; a correction is a new version, never an overwrite."""

    __tablename__ = "results"
    # The one index besides the key: it finds an assignment's versions (and a unit's on it) by its leading
    # columns. Indexes of `assignment_id` and of `unit` alone served no query and cost every result two more
    # b-tree inserts and WAL pages (issue 19, ADR 0124).
    __table_args__ = (UniqueConstraint("assignment_id", "unit", "version"),)

    id: str = Field(primary_key=True, max_length=64)
    assignment_id: str = Field(max_length=64)
    unit: str = Field(max_length=64)
    version: int
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime


class ReportRecord(IntakeTable, table=True):
    """A unit's periodic report for a reporting period; resubmission is a new version."""

    __tablename__ = "periodic_reports"
    __table_args__ = (UniqueConstraint("unit", "period_id", "plan_id", "version"),)  # leads with `unit`

    id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(max_length=64)
    period_id: str = Field(max_length=32)
    plan_id: str | None = Field(default=None, max_length=64)
    version: int
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    submitted_by: str = Field(max_length=64)
    submitted_at: datetime


class DirectoryVersion(IntakeTable, table=True):
    """One published version of the unit directory, kept whole; the newest is the one in force.

    Every change (a load, an add, a rename, a merge, a closure) is a new row, so any earlier
    directory can be read back; the snapshot itself also carries each unit's history.
    """

    __tablename__ = "directory_versions"

    version: int = Field(primary_key=True)
    city: str = Field(max_length=64)
    action: str = Field(max_length=32)  # seed | load | add | rename | merge | close
    summary: str = Field(max_length=1000)
    snapshot: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    published_by: str = Field(max_length=64)
    published_at: datetime


# --- The replica of what tasks knows (ADR 0030), fed by intake's consumers (`replica.py`), read through
# `replica_queries.py` only. Tasks owns these facts; intake keeps them to refuse input that can never take
# effect and to show a unit its work list.


class ReplicaAssignment(IntakeTable, table=True):
    """One unit's part in one task as tasks last announced it (task.assigned / withdrawn / status_changed)."""

    __tablename__ = "replica_assignments"

    assignment_id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(index=True, max_length=64)
    plan_version: int = 0  # highest plan version seen; decides `withdrawn` whatever the order of events
    plan_number: str | None = Field(default=None, max_length=100)
    plan_title: str = ""
    task_ref: str = Field(default="", max_length=64)  # "" while known only from a withdrawal or a status
    task_title: str = ""
    unit: str = Field(index=True, max_length=64)
    unit_name: str = ""
    role: str = Field(default="phoi_hop", max_length=16)  # chu_tri | phoi_hop
    output: str | None = None
    timeframe_kind: str = Field(default="unspecified", max_length=16)
    timeframe_text: str | None = None
    start: date | None = None
    due: date | None = None
    revision: int = 0
    withdrawn: bool = False
    status: str = Field(default="chua_den_han", max_length=32)  # tasks' judgement, the latest by date
    status_as_of: date | None = None
    completed_on: date | None = None
    updated_at: datetime


class ReplicaReportOwed(IntakeTable, table=True):
    """A periodic report a unit owes for a period (report.expected), with its window and send-by deadline."""

    __tablename__ = "replica_reports_owed"

    obligation_id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(primary_key=True, index=True, max_length=64)
    period_id: str = Field(primary_key=True, max_length=32)
    plan_id: str | None = Field(default=None, index=True, max_length=64)
    window_start: date
    window_end: date
    deadline: date
    announced_at: datetime  # the announcement's time: a re-announced deadline replaces an older one
    updated_at: datetime


class Person(IntakeTable, table=True):
    """A person who signs in to the workspace: an officer or leader of a unit, or a city administrator.

    Only the argon2id hash of the password is kept. `failed` counts sign-in failures in a row; reaching
    the limit sets `locked_until`. `must_change` holds until the person chooses their own password.
    """

    __tablename__ = "people"

    username: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    unit: str | None = Field(default=None, index=True, max_length=64)
    role: str = Field(max_length=16)  # officer | leader | admin
    password_hash: str = Field(max_length=200)
    must_change: bool = True
    failed: int = 0
    locked_until: datetime | None = None
    disabled_at: datetime | None = None
    created_by: str = Field(max_length=64)
    created_at: datetime
    password_changed_at: datetime


class PersonSession(IntakeTable, table=True):
    """A signed-in browser: the SHA-256 of its cookie's random token, never the token itself."""

    __tablename__ = "person_sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    username: str = Field(index=True, max_length=40)
    created_at: datetime
    expires_at: datetime


class EvidenceFile(IntakeTable, table=True):
    """A file attached to a result (kind checked by content); served only to who may see the result."""

    __tablename__ = "evidence_files"

    id: str = Field(primary_key=True, max_length=64)
    result_id: str = Field(index=True, max_length=64)
    assignment_id: str = Field(index=True, max_length=64)
    unit: str = Field(index=True, max_length=64)
    filename: str = Field(max_length=300)
    kind: str = Field(max_length=8)  # pdf | docx | xlsx | jpeg | png
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime


class UnitPreference(IntakeTable, table=True):
    """What a unit chose for itself in the workspace: whether its leader approves before results go up."""

    __tablename__ = "unit_preferences"

    unit: str = Field(primary_key=True, max_length=64)
    approval_required: bool = False
    changed_by: str = Field(max_length=64)
    changed_at: datetime


class ReviewSeen(IntakeTable, table=True):
    """A compiler's decision on a version of a result or report, from `submission.reviewed` (the reason shown
    to the unit in the workspace). The newest decision on a version wins, whatever order they arrive in."""

    __tablename__ = "reviews_seen"

    kind: str = Field(primary_key=True, max_length=8)  # result | report
    item_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    unit: str = Field(index=True, max_length=64)
    decision: str = Field(max_length=16)  # accepted | returned
    note: str | None = None
    reviewed_at: datetime


class PendingResult(IntakeTable, table=True):
    """An officer's result waiting for the unit's leader, where the unit chose approval (UnitPreference).

    Nothing leaves intake until the leader approves: then it is sent as any result (`result.submitted`, naming
    the officer), and `result_id` points at it; a leader's return keeps the reason for the officer to read.
    """

    __tablename__ = "pending_results"

    id: str = Field(primary_key=True, max_length=64)
    assignment_id: str = Field(index=True, max_length=64)
    unit: str = Field(index=True, max_length=64)
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    sender_username: str = Field(max_length=40)
    sender_name: str = Field(max_length=200)
    submitted_at: datetime
    decision: str | None = Field(default=None, max_length=16)  # approved | returned
    note: str | None = None
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = None
    result_id: str | None = Field(default=None, max_length=64)


class PendingReport(IntakeTable, table=True):
    """An officer's periodic report waiting for the unit's leader, where the unit chose approval.

    As `PendingResult`: nothing leaves intake until the leader approves (then it is sent as any report,
    `report.submitted` naming the officer, and `report_id` points at it); a return keeps the reason.
    """

    __tablename__ = "pending_reports"

    id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(index=True, max_length=64)
    period_id: str = Field(max_length=64)
    plan_id: str | None = Field(default=None, max_length=64)
    content: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    sender_username: str = Field(max_length=40)
    sender_name: str = Field(max_length=200)
    submitted_at: datetime
    decision: str | None = Field(default=None, max_length=16)  # approved | returned
    note: str | None = None
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = None
    report_id: str | None = Field(default=None, max_length=64)

"""Notify's store: subscriptions, notifications (recorded before sending), their delivery log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.directory import define_directory_table
from dondoc.platform.tables import define_platform_tables, no_items


class NotifyTable(SQLModel, registry=registry()):
    """Base of notify's tables."""


metadata = NotifyTable.metadata
PLATFORM = define_platform_tables(metadata)
# The newest unit directory intake published (directory.published): notices name units as it does.
DIRECTORY = define_directory_table(metadata)


def _moment(*, nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class Subscription(NotifyTable, table=True):
    """What one unit wants to hear and where: webhook, email addresses, kinds, quiet hours."""

    __tablename__ = "subscriptions"

    unit: str = Field(primary_key=True, max_length=64)
    webhook_url: str | None = Field(default=None, max_length=2000)
    # "fernet:<token>", never the secret itself (services/notify/channels/secrets_at_rest.py).
    webhook_secret: str | None = Field(default=None, max_length=1000)
    emails: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    kinds: list[str] = Field(default_factory=no_items, sa_column=Column(JSON, nullable=False))
    quiet_start: str | None = Field(default=None, max_length=5)  # "22:00", Vietnam wall clock
    quiet_end: str | None = Field(default=None, max_length=5)
    quiet_weekends: bool = False
    updated_at: datetime = Field(sa_column=_moment(nullable=False))


class Notification(NotifyTable, table=True):
    """One message to one unit on one channel, deduplicated by source event and channel."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("source_event_id", "unit", "channel"),)

    id: str = Field(primary_key=True, max_length=64)
    source_event_id: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    unit: str = Field(index=True, max_length=64)
    channel: str = Field(max_length=16)
    plan_id: str | None = Field(default=None, max_length=64)
    state: str = Field(max_length=16, index=True)  # pending | sending | sent | dead
    title: str
    body: str
    link: str | None = None
    data: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    # Rows sent together (a digest) share a batch id: one Message-ID, one X-Dondoc-Event-Id.
    batch_id: str | None = Field(default=None, max_length=64, index=True)
    attempt_id: str | None = Field(default=None, max_length=64)
    next_attempt_at: datetime | None = Field(default=None, sa_column=_moment(index=True))
    lease_until: datetime | None = Field(default=None, sa_column=_moment())
    last_error: str | None = None
    created_at: datetime = Field(sa_column=_moment(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_moment())
    dead_at: datetime | None = Field(default=None, sa_column=_moment())
    read_at: datetime | None = Field(default=None, sa_column=_moment())


class DeliveryAttempt(NotifyTable, table=True):
    """One attempt to deliver one notification: outcome, detail, latency."""

    __tablename__ = "delivery_attempts"

    id: int | None = Field(default=None, primary_key=True)
    notification_id: str = Field(index=True, max_length=64)
    attempt_id: str = Field(max_length=64)
    number: int
    outcome: str = Field(max_length=16)  # success | transient | permanent
    decision: str = Field(max_length=16)  # done | retry | dead_letter
    status: int | None = None
    detail: str
    latency_ms: float
    started_at: datetime = Field(sa_column=_moment(nullable=False))


class AssignmentCopy(NotifyTable, table=True):
    """What notify remembers of an assignment, to word later reminders (deadline near, overdue)."""

    __tablename__ = "assignment_copies"

    assignment_id: str = Field(primary_key=True, max_length=64)
    unit: str = Field(max_length=64)
    unit_name: str
    plan_id: str = Field(max_length=64)
    plan_number: str | None = None
    plan_title: str
    task_title: str
    role: str = Field(max_length=16)
    due: date | None = None

"""Notify's store: notifications (recorded before sending) and each unit's inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from dondoc.platform.tables import define_platform_tables


class NotifyTable(SQLModel, registry=registry()):
    """Base of notify's tables."""


metadata = NotifyTable.metadata
PLATFORM = define_platform_tables(metadata)


class Notification(NotifyTable, table=True):
    """One message to one unit on one channel, deduplicated by source event and channel."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("source_event_id", "unit", "channel"),)

    id: str = Field(primary_key=True, max_length=64)
    source_event_id: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    unit: str = Field(index=True, max_length=64)
    channel: str = Field(max_length=16)
    state: str = Field(max_length=16, index=True)  # pending | sent | failed | dead
    title: str
    body: str
    link: str | None = None
    data: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    created_at: datetime
    sent_at: datetime | None = None
    read_at: datetime | None = None

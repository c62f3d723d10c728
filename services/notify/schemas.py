"""What notify answers over HTTP (kept apart from its tables)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class InboxItemOut(BaseModel):
    """One message in a unit's in-app inbox."""

    id: str
    kind: str
    unit: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None

"""The in-app inbox: what one row shows (the lead's store keeps the rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.notify.domain.notices import Kind, Message


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One notification in a unit's inbox; `read_at` is None until someone opens it."""

    title: str
    body: str
    link: str | None
    kind: Kind
    created_at: datetime
    read_at: datetime | None = None

    @classmethod
    def from_message(cls, message: Message, created_at: datetime) -> InboxItem:
        """The inbox row for a rendered message (plain text body: the web page escapes it)."""
        return cls(
            title=message.subject,
            body=message.text,
            link=message.link,
            kind=message.kind,
            created_at=created_at,
        )

"""The system's own facts: notices sent, credentials and people signed out, the directory, dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from shared import topics
from shared.events.base import Event


class NotificationSent(Event):
    """Emitted when a notification was delivered (or given up) on one channel."""

    topic: ClassVar[str] = topics.NOTIFICATION_SENT

    notification_id: str
    unit: str
    channel: Literal["webhook", "email", "inbox"]
    outcome: Literal["sent", "dead_lettered"]
    source_event_id: str


class CredentialChanged(Event):
    """Emitted when an API key is issued or revoked, so every service can check it (hash only)."""

    topic: ClassVar[str] = topics.CREDENTIAL_CHANGED

    key_id: str
    unit: str | None = None
    role: Literal["unit", "admin"]
    secret_hash: str
    label: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None


class PersonSignedOut(Event):
    """Emitted when intake ends a person's sessions: they signed out, changed or were given a new password, or
    their account was disabled. A service that opened sessions on intake's word (the dashboard's hand-over,
    ADR 0091) ends the person's sessions it opened until `at` (ADR 0092)."""

    topic: ClassVar[str] = topics.PERSON_SIGNED_OUT

    username: str
    unit: str | None = None  # none for a city administrator's account
    reason: Literal["logout", "password_changed", "password_reset", "disabled"]
    at: datetime


class DirectoryPublished(Event):
    """Emitted by intake whenever the unit directory changes, with the whole snapshot (Directory.to_dict)."""

    topic: ClassVar[str] = topics.DIRECTORY_PUBLISHED

    version: int
    snapshot: dict[str, object]
    published_at: datetime


class DeadLetter(Event):
    """Emitted when a consumer gives up on a message after its bounded retries."""

    topic: ClassVar[str] = topics.DEAD_LETTER

    consumer: str
    original_topic: str
    partition: int
    offset: int
    key: str | None = None
    error: str
    attempts: int
    payload: str

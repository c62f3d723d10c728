"""The correlation id, carried from the HTTP request through every event it causes."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


def current_correlation_id() -> str:
    """The id of the request or event being handled; a fresh one outside any."""
    return _correlation_id.get() or str(uuid.uuid4())


def current_causation_id() -> str | None:
    return _causation_id.get()


def bind(correlation_id: str, causation_id: str | None = None) -> None:
    """Set the ids for the current task (each request and each consumed message runs in its own)."""
    _correlation_id.set(correlation_id)
    _causation_id.set(causation_id)

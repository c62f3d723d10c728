"""Intake consumes nothing: it is the door events start from."""

from __future__ import annotations

from dondoc.platform.consumer import Handler

SUBSCRIPTIONS: dict[str, Handler] = {}

"""Notify's topic → handler map."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.notify import handlers
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {topics.TASK_ASSIGNED: handlers.on_task_assigned}

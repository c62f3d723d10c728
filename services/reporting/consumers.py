"""Reporting's topic → handler map."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.reporting import handlers
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {
    topics.PLAN_RECEIVED: handlers.on_plan_received,
    topics.TASK_ASSIGNED: handlers.on_task_assigned,
}

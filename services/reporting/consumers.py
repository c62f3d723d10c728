"""Reporting's topic → handler map: everything the read model is built from."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.reporting import handlers
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {
    topics.PLAN_RECEIVED: handlers.on_plan_received,
    topics.TASK_ASSIGNED: handlers.on_task_assigned,
    topics.TASK_WITHDRAWN: handlers.on_task_withdrawn,
    topics.TASK_STATUS_CHANGED: handlers.on_task_status_changed,
    topics.RESULT_SUBMITTED: handlers.on_result_submitted,
    topics.REPORT_SUBMITTED: handlers.on_report_submitted,
    topics.REPORT_EXPECTED: handlers.on_report_expected,
    topics.REPORT_DUE: handlers.on_report_due,
    topics.REPORT_MISSED: handlers.on_report_missed,
    topics.DIRECTORY_PUBLISHED: handlers.on_directory_published,
}

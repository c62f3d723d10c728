"""Reporting's topic → handler map: everything the read model is built from."""

from __future__ import annotations

from dondoc.platform.consumer import Handler, Prefetching
from services.reporting import handlers
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {
    topics.PLAN_RECEIVED: handlers.on_plan_received,
    # A city plan's assignments arrive by the thousand: their views are loaded a batch at a time.
    topics.TASK_ASSIGNED: Prefetching(handlers.on_task_assigned, handlers.prefetch_assignments),
    topics.TASK_WITHDRAWN: Prefetching(handlers.on_task_withdrawn, handlers.prefetch_assignments),
    topics.TASK_STATUS_CHANGED: Prefetching(handlers.on_task_status_changed, handlers.prefetch_assignments),
    topics.RESULT_SUBMITTED: handlers.on_result_submitted,
    topics.REPORT_SUBMITTED: handlers.on_report_submitted,
    topics.REPORT_EXPECTED: handlers.on_report_expected,
    topics.REPORT_DUE: handlers.on_report_due,
    topics.REPORT_MISSED: handlers.on_report_missed,
    topics.DIRECTORY_PUBLISHED: handlers.on_directory_published,
}

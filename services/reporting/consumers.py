"""Reporting's topic → handler map: everything the read model is built from."""

from __future__ import annotations

from dondoc.platform.consumer import Handler, Prefetching
from services.reporting import projections
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {
    topics.PLAN_RECEIVED: projections.on_plan_received,
    # A city plan's assignments arrive by the thousand: their views are loaded a batch at a time.
    topics.TASK_ASSIGNED: Prefetching(projections.on_task_assigned, projections.prefetch_assignments),
    topics.TASK_WITHDRAWN: Prefetching(projections.on_task_withdrawn, projections.prefetch_assignments),
    topics.TASK_STATUS_CHANGED: Prefetching(
        projections.on_task_status_changed, projections.prefetch_assignments
    ),
    topics.RESULT_SUBMITTED: projections.on_result_submitted,
    topics.REPORT_SUBMITTED: projections.on_report_submitted,
    topics.REPORT_EXPECTED: projections.on_report_expected,
    topics.REPORT_DUE: projections.on_report_due,
    topics.REPORT_MISSED: projections.on_report_missed,
    topics.DIRECTORY_PUBLISHED: projections.on_directory_published,
}

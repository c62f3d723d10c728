"""Reporting's topic → handler map: everything the read model is built from."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.reporting import projections
from shared import topics

SUBSCRIPTIONS: dict[str, Handler] = {
    topics.PLAN_RECEIVED: projections.on_plan_received,
    topics.TASK_ASSIGNED: projections.on_task_assigned,
    topics.TASK_WITHDRAWN: projections.on_task_withdrawn,
    topics.TASK_STATUS_CHANGED: projections.on_task_status_changed,
    topics.RESULT_SUBMITTED: projections.on_result_submitted,
    topics.REPORT_SUBMITTED: projections.on_report_submitted,
    topics.REPORT_EXPECTED: projections.on_report_expected,
    topics.REPORT_DUE: projections.on_report_due,
    topics.REPORT_MISSED: projections.on_report_missed,
    topics.DIRECTORY_PUBLISHED: projections.on_directory_published,
}

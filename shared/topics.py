"""Topic names the product is known by, in one place."""

from __future__ import annotations

from typing import Final

PLAN_RECEIVED: Final = "plan.received"
TASK_ASSIGNED: Final = "task.assigned"
TASK_WITHDRAWN: Final = "task.withdrawn"
TASK_STATUS_CHANGED: Final = "task.status_changed"
RESULT_SUBMITTED: Final = "result.submitted"
REPORT_SUBMITTED: Final = "report.submitted"
DEADLINE_NEAR: Final = "deadline.near"
TASK_OVERDUE: Final = "task.overdue"
REPORT_EXPECTED: Final = "report.expected"
REPORT_DUE: Final = "report.due"
REPORT_MISSED: Final = "report.missed"
REPORT_GENERATED: Final = "report.generated"
SUBMISSION_REVIEWED: Final = "submission.reviewed"
NOTIFICATION_SENT: Final = "notification.sent"
CREDENTIAL_CHANGED: Final = "credential.changed"
DIRECTORY_PUBLISHED: Final = "directory.published"
PERSON_SIGNED_OUT: Final = "person.signed_out"
APPROVAL_REQUESTED: Final = "approval.requested"
APPROVAL_DECIDED: Final = "approval.decided"
DEAD_LETTER: Final = "dondoc.dlq"

ALL_TOPICS: Final[tuple[str, ...]] = (
    PLAN_RECEIVED,
    TASK_ASSIGNED,
    TASK_WITHDRAWN,
    TASK_STATUS_CHANGED,
    RESULT_SUBMITTED,
    REPORT_SUBMITTED,
    DEADLINE_NEAR,
    TASK_OVERDUE,
    REPORT_EXPECTED,
    REPORT_DUE,
    REPORT_MISSED,
    REPORT_GENERATED,
    SUBMISSION_REVIEWED,
    NOTIFICATION_SENT,
    CREDENTIAL_CHANGED,
    DIRECTORY_PUBLISHED,
    PERSON_SIGNED_OUT,
    APPROVAL_REQUESTED,
    APPROVAL_DECIDED,
    DEAD_LETTER,
)

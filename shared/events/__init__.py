"""One payload model per event. Producers are strict (`extra="forbid"`); see `Envelope.payload`.

By meaning: `base` (the contract base and shared values), `plans` (plans and their assignments), `reports`
(what units send up and the reporting calendar), `operations` (the system's own facts).
"""

from __future__ import annotations

from shared.events.base import (
    Contract,
    Event,
    Sender,
    Timeframe,
    TimeframeKind,
    UnitRef,
)
from shared.events.operations import (
    CredentialChanged,
    DeadLetter,
    DirectoryPublished,
    NotificationSent,
    PersonSignedOut,
)
from shared.events.plans import (
    DeadlineNear,
    PlanReceived,
    PlanTask,
    ReportingObligation,
    TaskAssigned,
    TaskOverdue,
    TaskStatusChanged,
    TaskWithdrawn,
    unique_task_refs,
)
from shared.events.reports import (
    ApprovalDecided,
    ApprovalRequested,
    ReportDue,
    ReportExpected,
    ReportGenerated,
    ReportMissed,
    ReportSubmitted,
    ResultSubmitted,
    SubmissionReviewed,
)

__all__ = [
    "EVENT_MODELS",
    "ApprovalDecided",
    "ApprovalRequested",
    "Contract",
    "CredentialChanged",
    "DeadLetter",
    "DeadlineNear",
    "DirectoryPublished",
    "Event",
    "NotificationSent",
    "PersonSignedOut",
    "PlanReceived",
    "PlanTask",
    "ReportDue",
    "ReportExpected",
    "ReportGenerated",
    "ReportMissed",
    "ReportSubmitted",
    "ReportingObligation",
    "ResultSubmitted",
    "Sender",
    "SubmissionReviewed",
    "TaskAssigned",
    "TaskOverdue",
    "TaskStatusChanged",
    "TaskWithdrawn",
    "Timeframe",
    "TimeframeKind",
    "UnitRef",
    "unique_task_refs",
]

EVENT_MODELS: dict[str, type[Event]] = {
    model.topic: model
    for model in (
        PlanReceived,
        TaskAssigned,
        TaskWithdrawn,
        TaskStatusChanged,
        ResultSubmitted,
        ReportSubmitted,
        DeadlineNear,
        TaskOverdue,
        ReportExpected,
        ReportDue,
        ReportMissed,
        ReportGenerated,
        SubmissionReviewed,
        NotificationSent,
        CredentialChanged,
        DirectoryPublished,
        PersonSignedOut,
        ApprovalRequested,
        ApprovalDecided,
        DeadLetter,
    )
}

"""One payload model per event. Producers are strict (`extra="forbid"`); see `Envelope.payload`."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.kernel.periods import PeriodId, Recurrence
from dondoc.kernel.refs import unique_refs
from dondoc.kernel.roles import Role
from dondoc.kernel.status import TaskStatus
from shared import topics

TimeframeKind = Literal["deadline", "ongoing", "recurring", "on_request", "on_direction", "unspecified"]


class Contract(BaseModel):
    """A value inside an event: strict on the producing side."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(Contract):
    """Base of every payload; subclasses fix their topic and schema version."""

    topic: ClassVar[str]
    schema_version: ClassVar[int] = 1


class UnitRef(Contract):
    """A unit as a plan names it, with what the directory resolved it to."""

    text: str
    unit: str | None = None
    group: str | None = None


class Sender(Contract):
    """The person who sent a result or report from the workspace (absent when a unit's system sent it)."""

    username: str
    name: str


class Timeframe(Contract):
    """A task's timeframe as written and as interpreted."""

    text: str | None = None
    kind: TimeframeKind = "unspecified"
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)


class PlanTask(Contract):
    """A task of a confirmed plan."""

    ref: str
    title: str
    group: str | None = None
    lead: list[UnitRef] = Field(default_factory=list)
    coordinating: list[UnitRef] = Field(default_factory=list)
    output: str | None = None
    timeframe: Timeframe = Field(default_factory=Timeframe)
    implements_task_ref: str | None = None


def unique_task_refs(tasks: list[PlanTask]) -> list[str]:
    """Task refs as every event names them: "II.1", then "II.1#2" for a repeated ref, "#3" for none."""
    return unique_refs(task.ref for task in tasks)


class ReportingObligation(Contract):
    """Who reports to whom and how often, as the plan states it."""

    reporter: list[UnitRef]
    recipient: UnitRef | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    due: date | None = None
    text: str | None = None


class PlanReceived(Event):
    """Emitted when a plan is confirmed by its issuing unit (version > 1 when it is revised)."""

    topic: ClassVar[str] = topics.PLAN_RECEIVED

    plan_id: str
    version: int = 1
    number: str | None = None
    title: str
    issued_on: date | None = None
    issuer: UnitRef
    implements: list[str] = Field(default_factory=list)
    implements_plan_id: str | None = None
    tasks: list[PlanTask]
    reporting: list[ReportingObligation] = Field(default_factory=list)


class TaskAssigned(Event):
    """Emitted when a unit is given (or, with revision > 1, given a changed) task of a plan."""

    topic: ClassVar[str] = topics.TASK_ASSIGNED

    assignment_id: str
    revision: int = 1
    plan_id: str
    plan_version: int
    plan_number: str | None = None
    plan_title: str
    task_ref: str
    task_title: str
    unit: str
    unit_name: str
    role: Role
    output: str | None = None
    timeframe: Timeframe


class TaskWithdrawn(Event):
    """Emitted when a revised plan no longer gives a unit a task it had."""

    topic: ClassVar[str] = topics.TASK_WITHDRAWN

    assignment_id: str
    plan_id: str
    plan_version: int
    unit: str


class TaskStatusChanged(Event):
    """Emitted when an assignment's status changes (a result arrived, or its due date passed)."""

    topic: ClassVar[str] = topics.TASK_STATUS_CHANGED

    assignment_id: str
    unit: str
    status: TaskStatus
    previous_status: TaskStatus | None = None
    completed_on: date | None = None
    as_of: date
    period_id: PeriodId | None = None  # set for ongoing/recurring tasks, judged per reporting period


class ResultSubmitted(Event):
    """Emitted when a unit reports a result on its assignment (each correction is a new version)."""

    topic: ClassVar[str] = topics.RESULT_SUBMITTED

    result_id: str
    assignment_id: str
    unit: str
    version: int
    status: Literal["dang_thuc_hien", "hoan_thanh"]
    completed_on: date | None = None
    output: str | None = None
    narrative: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    attachments: list[str] = Field(default_factory=list)
    submitted_at: datetime
    submitted_by: Sender | None = None  # additive: the person, when sent from the workspace


class ReportSubmitted(Event):
    """Emitted when a unit submits its periodic report for a reporting period."""

    topic: ClassVar[str] = topics.REPORT_SUBMITTED

    report_id: str
    unit: str
    period_id: PeriodId
    version: int
    plan_id: str | None = None
    narrative: str | None = None
    difficulties: str | None = None
    proposals: str | None = None
    submitted_at: datetime
    submitted_by: Sender | None = None  # additive: the person, when sent from the workspace


class DeadlineNear(Event):
    """Emitted once per assignment and reminder offset when its due date approaches."""

    topic: ClassVar[str] = topics.DEADLINE_NEAR

    assignment_id: str
    unit: str
    due: date
    days_left: int
    offset_days: int
    # Working days left (after today, up to the due date) when tasks counts its reminders in working days.
    working_days_left: int | None = None


class TaskOverdue(Event):
    """Emitted once, the day after an assignment's due date passed without completion."""

    topic: ClassVar[str] = topics.TASK_OVERDUE

    assignment_id: str
    unit: str
    due: date


class ReportExpected(Event):
    """Emitted once per unit and reporting period when the reporting calendar first owes that report.

    Unlike report.due it goes out whether or not the unit already reported, so that whoever counts
    reports (completeness) knows every report owed, early ones included.
    """

    topic: ClassVar[str] = topics.REPORT_EXPECTED

    obligation_id: str
    unit: str
    period_id: PeriodId
    window_start: date
    window_end: date
    deadline: date
    plan_id: str | None = None


class ReportDue(Event):
    """Emitted before a unit's periodic report is due for a reporting period."""

    topic: ClassVar[str] = topics.REPORT_DUE

    obligation_id: str
    unit: str
    period_id: PeriodId
    window_start: date
    window_end: date
    deadline: date
    plan_id: str | None = None  # the plan whose reporting obligation this is


class ReportMissed(Event):
    """Emitted once when a unit's periodic report deadline passed without a report."""

    topic: ClassVar[str] = topics.REPORT_MISSED

    obligation_id: str
    unit: str
    period_id: PeriodId
    deadline: date
    plan_id: str | None = None  # the plan whose reporting obligation this is
    window_start: date | None = None
    window_end: date | None = None


class ReportGenerated(Event):
    """Emitted when the reporting service has compiled a submission, with its inputs' versions."""

    topic: ClassVar[str] = topics.REPORT_GENERATED

    report_id: str
    plan_id: str | None = None
    period_start: date
    period_end: date
    formats: list[Literal["docx", "xlsx", "json"]]
    inputs_digest: str
    period_id: PeriodId | None = None  # the reporting period compiled, when one was named
    trigger: Literal["on_demand", "period_closed"] = "on_demand"
    as_of: date | None = None


class SubmissionReviewed(Event):
    """Emitted when a compiler accepts a unit's result or periodic report, or returns it for correction."""

    topic: ClassVar[str] = topics.SUBMISSION_REVIEWED

    kind: Literal["result", "report"]
    item_id: str
    version: int
    unit: str
    decision: Literal["accepted", "returned"]
    note: str | None = None
    plan_id: str | None = None
    reviewed_at: datetime
    period_id: PeriodId | None = None  # the reporting period, for a periodic report


class NotificationSent(Event):
    """Emitted when a notification was delivered (or given up) on one channel."""

    topic: ClassVar[str] = topics.NOTIFICATION_SENT

    notification_id: str
    unit: str
    channel: Literal["webhook", "email", "inbox"]
    outcome: Literal["sent", "dead_lettered"]
    source_event_id: str


class CredentialChanged(Event):
    """Emitted when an API key is issued or revoked, so every service can check it (hash only)."""

    topic: ClassVar[str] = topics.CREDENTIAL_CHANGED

    key_id: str
    unit: str | None = None
    role: Literal["unit", "admin"]
    secret_hash: str
    label: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None


class PersonSignedOut(Event):
    """Emitted when intake ends a person's sessions: they signed out, changed or were given a new password, or
    their account was disabled. A service that opened sessions on intake's word (the dashboard's hand-over,
    ADR 0091) ends the person's sessions it opened until `at` (ADR 0092)."""

    topic: ClassVar[str] = topics.PERSON_SIGNED_OUT

    username: str
    unit: str | None = None  # none for a city administrator's account
    reason: Literal["logout", "password_changed", "password_reset", "disabled"]
    at: datetime


class _Proposal(Event):
    """What both approval events say of the result or report a leader decides on (not an event itself)."""

    pending_id: str
    kind: Literal["result", "report"]
    unit: str
    assignment_id: str | None = None  # a result's assignment
    plan_id: str | None = None
    period_id: PeriodId | None = None  # a periodic report's period
    submitted_by: Sender


class ApprovalRequested(_Proposal):
    """Emitted when an officer's result or periodic report waits for the unit's leader to approve it (the unit
    chose approval): nothing has gone up yet. Notify tells the unit that something waits (ADR 0120)."""

    topic: ClassVar[str] = topics.APPROVAL_REQUESTED

    submitted_at: datetime


class ApprovalDecided(_Proposal):
    """Emitted when the unit's leader approves a waiting result or report (it goes up in the same transaction
    as `result.submitted` / `report.submitted`, whose id is `item_id`) or returns it to the officer with a
    reason (`note`), to be corrected and proposed again (ADR 0120)."""

    topic: ClassVar[str] = topics.APPROVAL_DECIDED

    decision: Literal["approved", "returned"]
    note: str | None = None
    decided_by: Sender | None = None  # the leader, when a person decided in the workspace
    decided_at: datetime
    item_id: str | None = None  # the result or report sent up, when approved


class DirectoryPublished(Event):
    """Emitted by intake whenever the unit directory changes, with the whole snapshot (Directory.to_dict)."""

    topic: ClassVar[str] = topics.DIRECTORY_PUBLISHED

    version: int
    snapshot: dict[str, object]
    published_at: datetime


class DeadLetter(Event):
    """Emitted when a consumer gives up on a message after its bounded retries."""

    topic: ClassVar[str] = topics.DEAD_LETTER

    consumer: str
    original_topic: str
    partition: int
    offset: int
    key: str | None = None
    error: str
    attempts: int
    payload: str


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

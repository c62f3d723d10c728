"""What each kind of notification is about: one small frozen value per kind, rendered by `messages`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from dondoc.kernel.roles import Role

# How an overdue assignment is told to a unit of a role: escalated, gently reminded, or not at all.
OverdueTone = Literal["escalate", "gentle", "off"]
Kind = Literal[
    "task_assigned",
    "deadline_near",
    "overdue",
    "report_due",
    "report_missed",
    "returned",
    "approval_waiting",
    "approval_returned",
]
# What the compiler reviewed: a unit's result on a task, or its periodic report.
Submission = Literal["result", "report"]


@dataclass(frozen=True, slots=True)
class PlanRef:
    """A plan as a notification cites it ("Kế hoạch số 243/KH-UBND ngày 16/09/2025")."""

    title: str
    number: str | None = None
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class TaskAssignedNotice:
    """A unit was given a task of a plan, as lead (chủ trì) or coordinator (phối hợp)."""

    kind: ClassVar[Kind] = "task_assigned"

    unit_name: str
    plan: PlanRef
    task_title: str
    role: Role
    due: date | None
    as_of: date
    link: str
    timeframe_text: str | None = None
    output: str | None = None


@dataclass(frozen=True, slots=True)
class DeadlineNearNotice:
    """An assignment's due date is approaching and it is not done yet."""

    kind: ClassVar[Kind] = "deadline_near"

    unit_name: str
    plan: PlanRef
    task_title: str
    role: Role
    due: date
    as_of: date
    link: str
    working_days_left: int | None = None  # said "còn N ngày làm việc" when tasks counts working days


@dataclass(frozen=True, slots=True)
class OverdueNotice:
    """An assignment's due date passed without completion."""

    kind: ClassVar[Kind] = "overdue"

    unit_name: str
    plan: PlanRef
    task_title: str
    role: Role
    due: date
    as_of: date
    link: str
    # A coordinating unit's reminder: it asks to work with the lead, it does not escalate (settings decide).
    gentle: bool = False


@dataclass(frozen=True, slots=True)
class ReportDueNotice:
    """A unit's periodic report for a period is due soon (data window and send-by deadline)."""

    kind: ClassVar[Kind] = "report_due"

    unit_name: str
    period_label: str
    window_start: date
    window_end: date
    deadline: date
    as_of: date
    link: str
    recipient_name: str | None = None
    plan: PlanRef | None = None


@dataclass(frozen=True, slots=True)
class ReportMissedNotice:
    """A unit's periodic report deadline passed and no report arrived."""

    kind: ClassVar[Kind] = "report_missed"

    unit_name: str
    period_label: str
    deadline: date
    as_of: date
    link: str
    recipient_name: str | None = None
    plan: PlanRef | None = None


@dataclass(frozen=True, slots=True)
class ReturnedNotice:
    """The compiler returned a unit's result or periodic report for correction, with its reason."""

    kind: ClassVar[Kind] = "returned"

    unit_name: str
    submission: Submission
    version: int
    note: str | None
    returned_on: date
    link: str
    plan: PlanRef | None = None
    period_label: str | None = None  # a periodic report's period


@dataclass(frozen=True, slots=True)
class ApprovalWaitingNotice:
    """An officer's result or periodic report waits for the unit's leader to approve it before it goes up
    (the unit chose approval): who sent it, about what, and where the leader approves or returns it."""

    kind: ClassVar[Kind] = "approval_waiting"

    unit_name: str
    submission: Submission
    sender_name: str
    submitted_on: date
    link: str
    plan: PlanRef | None = None
    task_title: str | None = None  # a result's task
    period_label: str | None = None  # a periodic report's period


@dataclass(frozen=True, slots=True)
class ApprovalReturnedNotice:
    """The unit's leader returned an officer's result or periodic report with a reason, to correct and send
    again for approval."""

    kind: ClassVar[Kind] = "approval_returned"

    unit_name: str
    submission: Submission
    sender_name: str
    note: str | None
    returned_on: date
    link: str
    leader_name: str | None = None
    plan: PlanRef | None = None
    task_title: str | None = None
    period_label: str | None = None


Notice = (
    TaskAssignedNotice
    | DeadlineNearNotice
    | OverdueNotice
    | ReportDueNotice
    | ReportMissedNotice
    | ReturnedNotice
    | ApprovalWaitingNotice
    | ApprovalReturnedNotice
)


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered notification: one subject, a plain-text and an HTML body, and where to act on it."""

    kind: Kind
    subject: str
    text: str
    html: str
    link: str | None
    item_count: int = 1

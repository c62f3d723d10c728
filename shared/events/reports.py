"""What units send up and the calendar they send it by: results, periodic reports, what is owed and when,
the compilers' reviews, leaders' approvals and the city's generated reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from dondoc.kernel.periods import PeriodId
from shared import topics
from shared.events.base import Event, Sender


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

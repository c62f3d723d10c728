"""Reporting's event → use case map: the read model's projections; a person signed out at intake."""

from __future__ import annotations

from dondoc.platform.subscriptions import Subscriptions
from services.reporting import projections as p
from services.reporting.use_cases import sessions
from shared.events import (
    DirectoryPublished,
    PersonSignedOut,
    PlanReceived,
    ReportDue,
    ReportExpected,
    ReportMissed,
    ReportSubmitted,
    ResultSubmitted,
    TaskAssigned,
    TaskStatusChanged,
    TaskWithdrawn,
)

SUBSCRIPTIONS = (
    Subscriptions[object]()
    .on(PlanReceived, p.on_plan_received)
    # A city plan's assignments arrive by the thousand: their views are loaded a batch at a time.
    .on(TaskAssigned, p.on_task_assigned, prefetch=p.prefetch_assignments)
    .on(TaskWithdrawn, p.on_task_withdrawn, prefetch=p.prefetch_assignments)
    .on(TaskStatusChanged, p.on_task_status_changed, prefetch=p.prefetch_assignments)
    .on(ResultSubmitted, p.on_result_submitted)
    .on(ReportSubmitted, p.on_report_submitted)
    .on(ReportExpected, p.on_report_expected)
    .on(ReportDue, p.on_report_due)
    .on(ReportMissed, p.on_report_missed)
    .on(DirectoryPublished, p.on_directory_published)
    .on(PersonSignedOut, sessions.on_person_signed_out)
)

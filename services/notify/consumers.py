"""Notify's event → use case map."""

from __future__ import annotations

from dondoc.platform.subscriptions import Subscriptions
from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from services.notify.use_cases import directory, recording
from shared.events import (
    ApprovalDecided,
    ApprovalRequested,
    DeadlineNear,
    DirectoryPublished,
    ReportDue,
    ReportMissed,
    SubmissionReviewed,
    TaskAssigned,
    TaskOverdue,
)


async def newest_directory(uow: UnitOfWork, ctx: NotifyContext) -> None:
    """Another replica may have consumed the newest directory.published: the store has it."""
    await ctx.live.refresh(uow.session)


SUBSCRIPTIONS = (
    Subscriptions[NotifyContext](before=[newest_directory])
    # A city plan's assignments arrive by the thousand: their look-ups are loaded a batch at a time.
    .on(TaskAssigned, recording.on_task_assigned, prefetch=recording.prefetch_task_assigned)
    .on(DeadlineNear, recording.on_deadline_near)
    .on(TaskOverdue, recording.on_task_overdue)
    .on(ReportDue, recording.on_report_due)
    .on(ReportMissed, recording.on_report_missed)
    .on(SubmissionReviewed, recording.on_submission_reviewed)
    .on(ApprovalRequested, recording.on_approval_requested)
    .on(ApprovalDecided, recording.on_approval_decided)
    .on(DirectoryPublished, directory.on_directory_published)
)

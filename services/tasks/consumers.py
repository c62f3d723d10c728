"""The tasks service's event → use case map."""

from __future__ import annotations

from dondoc.platform.subscriptions import Subscriptions
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.use_cases import directory, planning, results, reviews
from shared.events import (
    DirectoryPublished,
    PlanReceived,
    ReportSubmitted,
    ResultSubmitted,
    SubmissionReviewed,
)


async def newest_directory(uow: UnitOfWork, ctx: TasksContext) -> None:
    """Another replica may have consumed the newest directory.published: the store has it."""
    if ctx.live is not None:
        await ctx.live.refresh(uow.session)


# Plans become assignments; results move statuses; reports received close report reminders; the directory
# intake publishes replaces the one groups expand against.
SUBSCRIPTIONS = (
    Subscriptions[TasksContext](before=[newest_directory])
    .on(PlanReceived, planning.on_plan_received)
    .on(ResultSubmitted, results.on_result_submitted, prefetch=results.prefetch_results)
    .on(ReportSubmitted, results.on_report_submitted)
    .on(SubmissionReviewed, reviews.on_submission_reviewed)
    .on(DirectoryPublished, directory.on_directory_published)
)

"""The tasks service's topic → handler map."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dondoc.platform.consumer import Handler
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.use_cases import directory, planning, results, reviews
from shared import topics
from shared.envelope import Envelope

_Use = Callable[[UnitOfWork, Envelope, TasksContext], Awaitable[None]]


def _bound(use: _Use, ctx: TasksContext) -> Handler:
    async def handle(uow: UnitOfWork, envelope: Envelope) -> None:
        if ctx.live is not None:
            # Another replica may have consumed the newest directory.published: the store has it.
            await ctx.live.refresh(uow.session)
        await use(uow, envelope, ctx)

    return handle


def subscriptions(ctx: TasksContext) -> dict[str, Handler]:
    """Plans become assignments; results move statuses; reports received close report reminders; the directory
    intake publishes replaces the one groups expand against."""
    return {
        topics.PLAN_RECEIVED: _bound(planning.on_plan_received, ctx),
        topics.RESULT_SUBMITTED: _bound(results.on_result_submitted, ctx),
        topics.REPORT_SUBMITTED: _bound(results.on_report_submitted, ctx),
        topics.SUBMISSION_REVIEWED: _bound(reviews.on_submission_reviewed, ctx),
        topics.DIRECTORY_PUBLISHED: _bound(directory.on_directory_published, ctx),
    }

"""Notify's topic → handler map."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dondoc.platform.consumer import Handler, Prefetching
from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from services.notify.use_cases import directory, recording
from shared import topics
from shared.envelope import Envelope

UseCase = Callable[[UnitOfWork, Envelope, NotifyContext], Awaitable[None]]

USE_CASES: dict[str, UseCase] = {
    topics.TASK_ASSIGNED: recording.on_task_assigned,
    topics.DEADLINE_NEAR: recording.on_deadline_near,
    topics.TASK_OVERDUE: recording.on_task_overdue,
    topics.REPORT_DUE: recording.on_report_due,
    topics.REPORT_MISSED: recording.on_report_missed,
    topics.SUBMISSION_REVIEWED: recording.on_submission_reviewed,
    topics.DIRECTORY_PUBLISHED: directory.on_directory_published,
}


def _bound(use_case: UseCase, ctx: NotifyContext) -> Handler:
    async def handle(uow: UnitOfWork, envelope: Envelope) -> None:
        # Another replica may have consumed the newest directory.published: the store has it.
        await ctx.live.refresh(uow.session)
        await use_case(uow, envelope, ctx)

    return handle


def subscriptions(ctx: NotifyContext) -> dict[str, Handler]:
    """Each topic notify consumes, bound to the running service's context."""
    bound = {topic: _bound(use_case, ctx) for topic, use_case in USE_CASES.items()}
    # A city plan's assignments arrive by the thousand: their look-ups are loaded a batch at a time.
    bound[topics.TASK_ASSIGNED] = Prefetching(bound[topics.TASK_ASSIGNED], recording.prefetch_task_assigned)
    return bound

"""A compiler's decision on a result (submission.reviewed) moves which version counts, as in reporting."""

from __future__ import annotations

from sqlmodel import col, select

from dondoc.kernel.clock import as_utc
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.models import Assignment, ResultRecord, ResultReview
from services.tasks.use_cases.results import catch_up, forget_prefetched
from shared.events import SubmissionReviewed


async def on_submission_reviewed(uow: UnitOfWork, event: SubmissionReviewed, ctx: TasksContext) -> None:
    """Keep the newest decision on each result version, then judge the assignment by what counts now.

    A periodic report's review changes no assignment. A decision on a result not recorded yet is kept:
    the result, when it arrives, is judged with it.
    """
    if event.kind != "result":
        return
    session = uow.session
    held = await session.get(ResultReview, (event.item_id, event.version))
    if held is not None and as_utc(held.reviewed_at) >= as_utc(event.reviewed_at):
        return
    held = held or ResultReview(
        result_id=event.item_id, version=event.version, decision="", reviewed_at=event.reviewed_at
    )
    held.decision, held.reviewed_at = event.decision, event.reviewed_at
    session.add(held)
    await session.flush()
    forget_prefetched(uow)  # what a batch's results loaded may miss this decision
    record = (
        await session.exec(select(ResultRecord).where(col(ResultRecord.result_id) == event.item_id))
    ).first()
    if record is None:
        return
    query = select(Assignment).where(col(Assignment.id) == record.assignment_id).with_for_update()
    row = (await session.exec(query)).first()
    if row is not None and not row.withdrawn:
        await catch_up(uow, row, ctx)

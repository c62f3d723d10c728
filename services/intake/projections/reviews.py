"""What compilers decided on a unit's results and reports (`submission.reviewed`), kept for the workspace."""

from __future__ import annotations

from dondoc.kernel.clock import as_utc
from dondoc.platform.subscriptions import Subscriptions
from dondoc.platform.uow import UnitOfWork
from services.intake.models import ReviewSeen
from shared.events import SubmissionReviewed


async def on_submission_reviewed(uow: UnitOfWork, event: SubmissionReviewed, _ctx: object) -> None:
    """Keep the newest decision on each version (a redelivered or older decision changes nothing)."""
    row = await uow.session.get(ReviewSeen, (event.kind, event.item_id, event.version))
    if row is not None and as_utc(event.reviewed_at) < as_utc(row.reviewed_at):
        return
    row = row or ReviewSeen(
        kind=event.kind,
        item_id=event.item_id,
        version=event.version,
        unit=event.unit,
        decision=event.decision,
        reviewed_at=event.reviewed_at,
    )
    row.decision = event.decision
    row.note = event.note
    row.unit = event.unit
    row.reviewed_at = event.reviewed_at
    uow.session.add(row)


SUBSCRIPTIONS = Subscriptions[object]().on(SubmissionReviewed, on_submission_reviewed)

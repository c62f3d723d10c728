"""What people do to a notification: a unit reads an inbox message; an operator sends a dead one again."""

from __future__ import annotations

from datetime import datetime

from dondoc.platform.refusals import DeadNotificationNotFound, NotificationNotFound
from dondoc.platform.uow import UnitOfWork
from services.notify import queries
from services.notify.models import Notification


async def read(uow: UnitOfWork, unit: str, notification_id: str) -> Notification:
    """Mark the unit's inbox message read (reading it twice keeps the first time)."""
    row = await queries.mark_read(uow, unit, notification_id)
    if row is None:
        raise NotificationNotFound()
    return row


async def resend(uow: UnitOfWork, notification_id: str, now: datetime) -> Notification:
    """Put a dead notification back in line with a fresh attempt budget (same batch id, same Message-ID)."""
    row = await queries.resend(uow, notification_id, now)
    if row is None:
        raise DeadNotificationNotFound()
    return row

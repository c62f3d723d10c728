"""Reads (and the small writes) behind notify's routes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.uow import UnitOfWork
from services.notify.models import DeliveryAttempt, Notification
from services.notify.schemas import AttemptOut, NotificationOut


def notification_out(row: Notification, log: list[DeliveryAttempt] | None = None) -> NotificationOut:
    """A row as the API shows it, with its delivery log when given."""
    out = NotificationOut.model_validate(row, from_attributes=True)
    out.log = [AttemptOut.model_validate(a, from_attributes=True) for a in log or []]
    return out


async def with_log(uow: UnitOfWork, notification_id: str) -> NotificationOut | None:
    """One notification with every delivery attempt, oldest first."""
    row = await uow.session.get(Notification, notification_id)
    if row is None:
        return None
    query = (
        select(DeliveryAttempt)
        .where(col(DeliveryAttempt.notification_id) == notification_id)
        .order_by(col(DeliveryAttempt.id))
    )
    return notification_out(row, list((await uow.session.exec(query)).all()))


async def listed(
    uow: UnitOfWork, *, unit: str | None, channel: str | None, state: str | None, limit: int, offset: int = 0
) -> tuple[list[NotificationOut], int]:
    """One page of notifications filtered by unit, channel and state, newest first, and how many match."""
    query = select(Notification)
    if unit is not None:
        query = query.where(col(Notification.unit) == unit)
    if channel is not None:
        query = query.where(col(Notification.channel) == channel)
    if state is not None:
        query = query.where(col(Notification.state) == state)
    total = await count(uow, query)
    query = (
        query.order_by(col(Notification.created_at).desc(), col(Notification.id)).offset(offset).limit(limit)
    )
    return [notification_out(row) for row in (await uow.session.exec(query)).all()], total


async def count(uow: UnitOfWork, query: SelectOfScalar[Notification]) -> int:
    """How many rows a notifications query matches, whatever page is shown."""
    counted = select(func.count()).select_from(query.subquery())
    return int((await uow.session.exec(counted)).one())


async def mark_read(uow: UnitOfWork, unit: str, notification_id: str) -> Notification | None:
    """Mark an inbox message read (reading it twice keeps the first time)."""
    row = await uow.session.get(Notification, notification_id)
    if row is None or row.unit != unit or row.channel != "inbox" or row.state == "grouped":
        return None
    row.read_at = row.read_at or SYSTEM_CLOCK.now()
    uow.session.add(row)
    return row


async def resend(uow: UnitOfWork, notification_id: str, now: datetime) -> Notification | None:
    """Put a dead notification back in line with a fresh attempt budget (same batch id, same Message-ID)."""
    row = await uow.session.get(Notification, notification_id)
    if row is None or row.state != "dead":
        return None
    row.state, row.attempts, row.next_attempt_at, row.dead_at = "pending", 0, now, None
    uow.session.add(row)
    return row

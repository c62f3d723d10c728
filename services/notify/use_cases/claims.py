"""Notify's queries for the delivery worker: claim due notifications in batches, record how they went."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import and_, col, or_, select

from dondoc.platform.uow import UnitOfWork
from services.notify.domain.codec import notice_from_json
from services.notify.domain.digest import Pending, group_for_digest
from services.notify.domain.notices import Notice
from services.notify.domain.quiet_hours import next_allowed_time
from services.notify.models import Notification, Subscription
from services.notify.use_cases.subscriptions import quiet_hours_of


def utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite gives naive datetimes back; everything notify stores is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Batch:
    """Notifications claimed to leave as one message on one channel (one, or a digest)."""

    batch_id: str
    attempt_id: str
    unit: str
    channel: str
    kind: str
    notification_ids: tuple[str, ...]
    source_event_ids: tuple[str, ...]
    notices: tuple[Notice, ...]
    attempts_before: int


def _due(now: datetime) -> ColumnElement[bool]:
    pending = and_(col(Notification.state) == "pending", col(Notification.next_attempt_at) <= now)
    # A row left "sending" by a sender that died (its lease ran out) is due again.
    abandoned = and_(col(Notification.state) == "sending", col(Notification.lease_until) < now)
    return and_(col(Notification.channel) != "inbox", or_(pending, abandoned))


async def _quiet_until(uow: UnitOfWork, unit: str, now: datetime, cache: dict[str, datetime]) -> datetime:
    if unit not in cache:
        quiet = quiet_hours_of(s) if (s := await uow.session.get(Subscription, unit)) else None
        cache[unit] = utc(next_allowed_time(now, quiet))
    return cache[unit]


async def _members(
    uow: UnitOfWork, row: Notification, now: datetime, window: timedelta
) -> list[Notification]:
    """The rows that leave with `row`: its batch if it has one, else its digest group if that is due."""
    if row.batch_id is not None:
        query = select(Notification).where(
            col(Notification.batch_id) == row.batch_id, col(Notification.state).in_(("pending", "sending"))
        )
        return list((await uow.session.exec(query)).all())
    query = select(Notification).where(
        col(Notification.unit) == row.unit,
        col(Notification.channel) == row.channel,
        col(Notification.kind) == row.kind,
        col(Notification.plan_id) == row.plan_id if row.plan_id else col(Notification.plan_id).is_(None),
        col(Notification.state) == "pending",
        col(Notification.batch_id).is_(None),
    )
    rows = {r.id: r for r in (await uow.session.exec(query)).all()}
    pending = [
        Pending(r.id, r.unit, r.plan_id, utc(r.created_at), notice_from_json(r.data)) for r in rows.values()
    ]
    for group in group_for_digest(pending, window):
        if row.id in group.notification_ids:
            return [rows[i] for i in group.notification_ids] if group.send_at <= now else []
    return []


def _claim(members: Sequence[Notification], now: datetime, lease: timedelta) -> Batch:
    ordered = sorted(members, key=lambda r: (utc(r.created_at), r.id))
    batch_id = ordered[0].batch_id or ordered[0].id
    attempt_id = uuid.uuid4().hex
    for r in ordered:
        r.state, r.batch_id, r.attempt_id, r.lease_until = "sending", batch_id, attempt_id, now + lease
    first = ordered[0]
    return Batch(
        batch_id=batch_id,
        attempt_id=attempt_id,
        unit=first.unit,
        channel=first.channel,
        kind=first.kind,
        notification_ids=tuple(r.id for r in ordered),
        source_event_ids=tuple(r.source_event_id for r in ordered),
        notices=tuple(notice_from_json(r.data) for r in ordered),
        attempts_before=max(r.attempts for r in ordered),
    )


async def claim_due(
    uow: UnitOfWork, now: datetime, *, window: timedelta, lease: timedelta, limit: int
) -> list[Batch]:
    """Mark due rows "sending" (with an attempt id) and return them grouped; the caller commits."""
    query = select(Notification).where(_due(now)).order_by(col(Notification.created_at)).limit(limit)
    rows = list((await uow.session.exec(query)).all())
    quiet: dict[str, datetime] = {}
    claimed: set[str] = set()
    batches: list[Batch] = []
    for row in rows:
        if row.id in claimed:
            continue
        allowed = await _quiet_until(uow, row.unit, now, quiet)
        if allowed > now:
            # Quiet hours: hold it until they end (a digest held this way still leaves as one).
            row.state, row.next_attempt_at = "pending", allowed
            continue
        members = [m for m in await _members(uow, row, now, window) if m.id not in claimed]
        if members:
            claimed.update(m.id for m in members)
            batches.append(_claim(members, now, lease))
    return batches

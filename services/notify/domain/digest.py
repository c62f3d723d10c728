"""Group pending notifications so a unit given many tasks at once gets one message, not seventeen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notify.domain.notices import Kind, Notice


@dataclass(frozen=True, slots=True)
class Pending:
    """A notification recorded but not yet sent: which unit, which plan, when it was recorded."""

    notification_id: str
    unit: str
    plan_id: str | None
    created_at: datetime
    notice: Notice


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """Pending notifications of one kind for one unit and plan, to be sent as one message from `send_at`."""

    unit: str
    plan_id: str | None
    kind: Kind
    items: tuple[Pending, ...]
    send_at: datetime

    @property
    def notices(self) -> list[Notice]:
        """The notices to render, oldest first."""
        return [item.notice for item in self.items]

    @property
    def notification_ids(self) -> list[str]:
        """The ids to mark as sent once the message is delivered."""
        return [item.notification_id for item in self.items]


GroupKey = tuple[str, str | None, Kind]


def group_for_digest(pending: Iterable[Pending], window: timedelta) -> list[DigestGroup]:
    """Batch by unit + plan + kind: a batch holds what arrived within `window` of its first item.

    A batch is ready at `send_at` (its first item's time + window), so a city plan's 17
    assignments, published within seconds of each other, leave as one digest.
    """
    if window < timedelta(0):
        raise ValueError("window must not be negative")
    buckets: dict[GroupKey, list[Pending]] = defaultdict(list)
    for item in pending:
        buckets[(item.unit, item.plan_id, item.notice.kind)].append(item)
    groups: list[DigestGroup] = []
    for key, items in buckets.items():
        items.sort(key=lambda p: (p.created_at, p.notification_id))
        batch: list[Pending] = []
        for item in items:
            if batch and item.created_at >= batch[0].created_at + window:
                groups.append(_group(key, batch, window))
                batch = []
            batch.append(item)
        groups.append(_group(key, batch, window))
    groups.sort(key=lambda g: (g.send_at, g.unit, g.kind))
    return groups


def _group(key: GroupKey, batch: list[Pending], window: timedelta) -> DigestGroup:
    unit, plan_id, kind = key
    return DigestGroup(unit, plan_id, kind, tuple(batch), send_at=batch[0].created_at + window)

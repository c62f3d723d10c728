"""Notify's use cases: record what each unit must hear, before any attempt to send it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from dondoc.platform.uow import UnitOfWork
from services.notify.models import Notification
from shared.envelope import Envelope
from shared.events import TaskAssigned

_ROLE = {"chu_tri": "chủ trì", "phoi_hop": "phối hợp"}


async def on_task_assigned(uow: UnitOfWork, envelope: Envelope) -> None:
    """Put the assignment in the unit's inbox."""
    event = envelope.payload(TaskAssigned)
    due = event.timeframe.due
    when = f" Thời hạn: ngày {due:%d/%m/%Y}." if due else ""
    uow.session.add(
        Notification(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{envelope.id}|{event.unit}|inbox")),
            source_event_id=envelope.id,
            kind="task_assigned",
            unit=event.unit,
            channel="inbox",
            state="sent",
            title=f"Nhiệm vụ mới ({_ROLE[event.role]}): {event.task_title}"[:500],
            body=f"Kế hoạch {event.plan_number or event.plan_title}: {event.task_title}.{when}",
            data=event.model_dump(mode="json"),
            created_at=datetime.now(UTC),
            sent_at=datetime.now(UTC),
        )
    )

"""Rows a batch inserts in bulk (`UnitOfWork.insert`) on a real store: written once, with the batch or not."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from dondoc.platform import migrations
from dondoc.platform.batch import BatchProcessor
from dondoc.platform.consumer import MessageProcessor, Outcome, RawMessage
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.notify import models
from shared import topics
from shared.envelope import Envelope, wrap
from shared.events import DeadlineNear

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"
NOTIFICATIONS = models.Notification.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models


def event() -> Envelope:
    payload = DeadlineNear(
        assignment_id=str(uuid.uuid4()), unit="u1", due=datetime.now(UTC).date(), days_left=3, offset_days=3
    )
    return wrap(payload, source="test", correlation_id=str(uuid.uuid4()))


async def insert_notification(uow: UnitOfWork, envelope: Envelope) -> None:
    uow.insert(
        models.Notification,
        id=f"n-{envelope.id}",
        source_event_id=envelope.id,
        kind="deadline_near",
        unit="u1",
        channel="inbox",
        state="sent",
        title="Sắp đến hạn",
        body="b",
        data={"event": envelope.id},
        attempts=0,
        created_at=envelope.time,
    )


async def stored(uow_factory: object) -> list[str]:
    async with uow_factory() as uow:  # type: ignore[operator]
        rows = await uow.session.execute(select(NOTIFICATIONS.c.source_event_id))
        return sorted(str(r[0]) for r in rows.all())


async def test_inserted_rows_are_written_at_the_commit_once_and_a_poison_event_leaves_none(
    database_url: str,
) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, models.PLATFORM, "test")

    events = [event() for _ in range(6)]
    poison = events[3].id

    async def handler(unit_of_work: UnitOfWork, envelope: Envelope) -> None:
        await insert_notification(unit_of_work, envelope)
        if envelope.id == poison:
            raise ValueError("never handled")

    processor = MessageProcessor("notify", handler, uow, retry_base_seconds=0.0)
    batches = BatchProcessor({topics.DEADLINE_NEAR: processor}, uow)
    raws = [RawMessage(topics.DEADLINE_NEAR, 0, i, None, e.to_bytes()) for i, e in enumerate(events)]
    try:
        outcomes = await batches.process(raws)
        assert outcomes == [Outcome.OK] * 3 + [Outcome.DEAD_LETTERED] + [Outcome.OK] * 2
        expected = sorted(e.id for e in events if e.id != poison)
        assert await stored(uow) == expected
        # Delivered again (a redelivery after a crash before the offsets): nothing is written twice.
        assert await batches.process(raws[:3] + raws[4:]) == [Outcome.DUPLICATE] * 5
        assert await stored(uow) == expected
        # A unit of work that does not commit writes none of its inserted rows.
        async with uow() as unit_of_work:
            await insert_notification(unit_of_work, event())
        assert await stored(uow) == expected
    finally:
        await engine.dispose()

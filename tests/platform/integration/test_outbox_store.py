"""The outbox on a real store (SQLite and PostgreSQL): order, interruption, and one relay at a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from dondoc.platform import migrations
from dondoc.platform.db import create_engine
from dondoc.platform.outbox import OutboxRelay, SqlOutboxStore
from services.notify import models

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"
OUTBOX = models.PLATFORM.outbox


async def store_with_rows(database_url: str, n: int) -> SqlOutboxStore:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(
            insert(OUTBOX),
            [
                {
                    "event_id": f"e{i}",
                    "topic": "task.assigned",
                    "key": f"u{i % 3}",
                    "payload": f"{i}".encode(),
                    "created_at": datetime.now(UTC),
                    "attempts": 0,
                }
                for i in range(n)
            ],
        )
    return SqlOutboxStore(engine, models.PLATFORM)


async def unpublished(store: SqlOutboxStore) -> int:
    pending, _ = await store.backlog()
    return pending


async def test_a_relay_stopped_mid_batch_marks_what_it_published_and_nothing_leaves_twice(
    database_url: str,
) -> None:
    store = await store_with_rows(database_url, 20)
    sent: list[bytes] = []
    gate = asyncio.Event()

    async def slow_publish(topic: str, key: str | None, payload: bytes) -> None:
        await asyncio.sleep(0.01)  # waiting for the broker's acknowledgement
        sent.append(payload)  # acknowledged
        if len(sent) == 5:
            gate.set()

    relay = OutboxRelay(store, slow_publish, batch_size=20)
    task = asyncio.create_task(relay.run())
    await gate.wait()
    task.cancel()  # a shutdown that could not wait
    await asyncio.gather(task, return_exceptions=True)
    assert await unpublished(store) == 20 - len(sent)
    await OutboxRelay(store, slow_publish).drain()
    assert sorted(sent, key=int) == [f"{i}".encode() for i in range(20)]
    assert len(sent) == len(set(sent)) == 20


async def test_two_relays_on_one_postgresql_store_never_publish_a_row_twice(postgres_url: str) -> None:
    database_url = postgres_url  # one relay per SQLite file by design; several instances need PostgreSQL
    store = await store_with_rows(database_url, 60)
    sent: list[bytes] = []

    async def publish(topic: str, key: str | None, payload: bytes) -> None:
        sent.append(payload)
        await asyncio.sleep(0.001)

    other = SqlOutboxStore(create_engine(database_url), models.PLATFORM)
    await asyncio.gather(
        OutboxRelay(store, publish, batch_size=7).drain(), OutboxRelay(other, publish, batch_size=7).drain()
    )
    await OutboxRelay(store, publish).drain()
    assert len(sent) == 60 == len(set(sent))
    async with create_engine(database_url).connect() as conn:
        left = await conn.execute(
            select(func.count()).select_from(OUTBOX).where(OUTBOX.c.published_at.is_(None))
        )
        assert left.scalar_one() == 0


async def test_republishing_marks_every_published_row_unpublished_and_counts_them_by_topic(
    database_url: str,
) -> None:
    store = await store_with_rows(database_url, 5)

    async def publish(topic: str, key: str | None, payload: bytes) -> None:
        pass

    await OutboxRelay(store, publish).drain()
    assert await store.published_by_topic() == {"task.assigned": 5}
    assert await store.republish() == 5
    assert await unpublished(store) == 5 and await store.published_by_topic() == {}

"""Rows a batch inserts in bulk (`UnitOfWork.insert`) on a real store: written once, with the batch or not."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert, select, text
from sqlalchemy.exc import IntegrityError

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


async def test_rows_written_through_the_driver_read_back_as_sqlalchemy_writes_them(database_url: str) -> None:
    """The driver-level writer (ADR 0105) stores what SQLAlchemy's executemany stored: JSON (None too),
    aware datetimes, defaults of omitted columns; a repeated key is SQLAlchemy's IntegrityError."""
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    moment = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    common = {
        "source_event_id": "e",
        "kind": "k",
        "channel": "inbox",
        "state": "sent",
        "title": "Sắp đến hạn",
        "body": "b",
        "created_at": moment,
    }
    try:
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            uow.insert(models.Notification, id="bulk", unit="u1", data={"a": [1, "ý"]}, **common)
            uow.insert(models.Notification, id="bulk-none", unit="u2", data=None, **common)
            await uow.session.execute(  # the same row by SQLAlchemy, to compare with
                insert(NOTIFICATIONS).values(id="orm", unit="u3", data={"a": [1, "ý"]}, **common)
            )
            await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            found = {
                row.id: row
                for row in (
                    await uow.session.execute(select(NOTIFICATIONS).order_by(NOTIFICATIONS.c.id))
                ).all()
            }
            raw_json = {
                str(r[0]): r[1]
                for r in (
                    await uow.session.execute(text("SELECT id, CAST(data AS TEXT) FROM notifications"))
                ).all()
            }
        assert set(found) == {"bulk", "bulk-none", "orm"}
        for key in ("bulk", "orm"):
            row = found[key]
            assert row.data == {"a": [1, "ý"]}
            assert row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC) == moment
            assert row.attempts == 0
            assert row.title == "Sắp đến hạn"
        assert found["bulk-none"].data is None
        assert raw_json["bulk-none"] == "null"  # JSON null, as SQLAlchemy stores None (not SQL NULL)
        # A column left out gets its default (attempts = 0), as SQLAlchemy fills it in.
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            values = {**common, "source_event_id": "e2"}
            uow.insert(models.Notification, id="defaulted", unit="u1", data={}, **values)
            await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            attempts = await uow.session.scalar(
                select(NOTIFICATIONS.c.attempts).where(NOTIFICATIONS.c.id == "defaulted")
            )
        assert attempts == 0
        # A key repeated in the batch fails the commit as SQLAlchemy's IntegrityError, and writes nothing.
        with pytest.raises(IntegrityError):
            async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
                uow.insert(models.Notification, id="twice", unit="u1", data={}, **common)
                uow.insert(models.Notification, id="twice", unit="u2", data={}, **common)
                await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert (
                await uow.session.scalar(select(NOTIFICATIONS.c.id).where(NOTIFICATIONS.c.id == "twice"))
                is None
            )
    finally:
        await engine.dispose()


async def test_the_inbox_of_a_batch_of_more_than_five_hundred_is_read_and_written_in_bulk(
    database_url: str,
) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    ids = [str(uuid.uuid4()) for _ in range(1203)]
    try:
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert await uow.processed_among("c", ids) == set()
            await uow.mark_processed_many([("c", i) for i in ids[::2]])
            await uow.mark_processed_many([("other", i) for i in ids[1::2]])
            await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert await uow.processed_among("c", ids) == set(ids[::2])
            assert await uow.processed_among("other", ids[:10]) == set(ids[1:10:2])
            assert await uow.already_processed("c", ids[0])
            assert not await uow.already_processed("c", ids[1])
            stamps = (
                (await uow.session.execute(select(models.PLATFORM.processed.c.processed_at))).scalars().all()
            )
        assert len(stamps) == len(ids) and all(isinstance(s, datetime) for s in stamps)
    finally:
        await engine.dispose()


async def test_omitted_columns_get_their_scalar_and_callable_defaults(database_url: str) -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    metadata = MetaData()
    table = Table(
        "bulk_defaults",
        metadata,
        Column("id", String(8), primary_key=True),
        Column("n", Integer, nullable=False, default=7),
        Column("at", DateTime(timezone=True), nullable=False, default=lambda: moment),
    )
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        async with UnitOfWork(session_factory(engine), models.PLATFORM, "test") as uow:
            uow.insert(table, id="a")
            uow.insert(table, id="b", n=1)
            await uow.commit()
        async with engine.connect() as connection:
            rows = (await connection.execute(select(table).order_by(table.c.id))).all()
        assert [(r.id, r.n, r.at.replace(tzinfo=r.at.tzinfo or UTC)) for r in rows] == [
            ("a", 7, moment),
            ("b", 1, moment),
        ]
    finally:
        await engine.dispose()


async def test_a_batch_claims_its_new_events_in_the_inbox_in_one_statement(database_url: str) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    ids = [str(uuid.uuid4()) for _ in range(700)]
    try:
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:  # not committed: nothing recorded
            assert await uow.claim("c", ids[:10]) == set(ids[:10])
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert await uow.claim("c", [*ids[:400], ids[0], ids[1]]) == set(ids[:400])  # a repeat once
            assert await uow.claim("c", ids[:5]) == set()  # claimed earlier in this transaction
            await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert await uow.claim("c", ids) == set(ids[400:])
            assert await uow.claim("other", ids[:3]) == set(ids[:3])  # each consumer its own inbox
            await uow.commit()
        async with UnitOfWork(sessions, models.PLATFORM, "test") as uow:
            assert await uow.processed_among("c", ids) == set(ids)
            assert await uow.claim("c", []) == set()
    finally:
        await engine.dispose()

"""A write's statements on a real store (ADR 0100): its new rows together, its look-ups through the driver."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from dondoc.platform import db, migrations
from dondoc.platform.auth import Principal
from dondoc.platform.bulk import BulkWriter
from dondoc.platform.db import create_engine, driver_rows, session_factory
from dondoc.platform.idempotency import accept_write
from dondoc.platform.uow import UnitOfWork
from services.notify import models
from shared.events import DeadlineNear
from tests.support import PG_ADMIN

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"
WARD = Principal(key_id="k-ward", unit="11407", role="unit")


def deadline() -> DeadlineNear:
    return DeadlineNear(
        assignment_id=str(uuid.uuid4()),
        unit="11407",
        due=datetime.now(UTC).date(),
        days_left=3,
        offset_days=3,
    )


async def test_a_write_commits_its_audit_idempotency_and_outbox_rows_together_and_a_retry_replays(
    database_url: str,
) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    tables = models.PLATFORM
    try:

        def uow() -> UnitOfWork:
            return UnitOfWork(sessions, tables, "test")

        async def work(unit_of_work: UnitOfWork) -> tuple[int, dict[str, object], str | None]:
            unit_of_work.emit(deadline(), key="a-1")
            return 202, {"id": "r-1", "status": "accepted", "note": "Đã nhận"}, "a-1"

        first = await accept_write(uow, WARD, "result.submit", "key-1", b"{}", work)
        again = await accept_write(uow, WARD, "result.submit", "key-1", b"{}", work)
        assert first.status_code == again.status_code == 202
        assert bytes(first.body) == bytes(again.body) and again.headers["Idempotent-Replayed"] == "true"
        async with engine.connect() as conn:
            audit = (await conn.execute(select(tables.audit_log))).mappings().all()
            outbox = (await conn.execute(select(tables.outbox.c.key, tables.outbox.c.created_at))).all()
            kept = (await conn.execute(select(tables.idempotency))).mappings().one()
        assert [(a["key_id"], a["unit"], a["target"], a["outcome"]) for a in audit] == [
            ("k-ward", "11407", "a-1", "accepted")
        ]
        assert [row.key for row in outbox] == ["a-1"] and outbox[0].created_at is not None
        assert kept["principal"] == "k-ward" and kept["status"] == 202
        assert "Đã nhận" in bytes(kept["body"]).decode()
    finally:
        await engine.dispose()


async def test_rows_of_several_tables_are_written_at_once_or_not_at_all(database_url: str) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    tables = models.PLATFORM
    try:
        now = datetime.now(UTC)
        async with UnitOfWork(sessions, tables, "test") as uow:
            for n in range(3):
                uow.insert(tables.processed, consumer="c", event_id=f"e-{n}", processed_at=now)
            uow.insert(tables.audit_log, at=now, action="a", outcome="accepted", status=202, target="t")
            uow.emit(deadline(), key="k")
            await uow.commit()
        async with UnitOfWork(sessions, tables, "test") as uow:
            uow.insert(tables.audit_log, at=now, action="b", outcome="accepted", status=202, target="t")
            uow.insert(tables.processed, consumer="c", event_id="e-1", processed_at=now)  # there already
            with pytest.raises(IntegrityError):
                await uow.commit()
        async with UnitOfWork(sessions, tables, "test") as uow:
            processed = await driver_rows(uow.session, "SELECT event_id FROM processed_events ORDER BY 1")
            actions = await driver_rows(uow.session, "SELECT action FROM audit_log")
            events = await driver_rows(uow.session, "SELECT COUNT(*) FROM outbox")
        assert [row[0] for row in processed] == ["e-0", "e-1", "e-2"]
        assert [row[0] for row in actions] == ["a"]  # the failed transaction's audit row went with it
        assert events[0][0] == 1
    finally:
        await engine.dispose()


async def test_a_pooled_postgresql_connection_cut_while_idle_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "IDLE_BEFORE_PING_SECONDS", 0.0)  # every checkout counts as after a pause
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (make_url(postgres_url).database,),
            )
        async with engine.connect() as conn:  # the ping finds the cut and the pool connects anew
            assert (await conn.execute(text("SELECT 2"))).scalar_one() == 2
    finally:
        await engine.dispose()


async def test_new_rows_alone_go_with_the_commit_on_postgresql_and_orm_rows_still_flush_first(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0121: a write of `insert` rows only reaches PostgreSQL with its COMMIT in one round trip; a write
    that also added ORM rows flushes them and commits as before. Both are committed, whatever the store."""
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    sent_with_commit: list[bool] = []
    real = BulkWriter.insert_together

    async def watched(self: BulkWriter, connection: Any, parts: Any, *, then_commit: bool = False) -> None:
        sent_with_commit.append(then_commit)
        await real(self, connection, parts, then_commit=then_commit)

    monkeypatch.setattr(BulkWriter, "insert_together", watched)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    tables = models.PLATFORM
    now = datetime.now(UTC)
    try:
        async with UnitOfWork(sessions, tables, "test") as uow:
            dead = {"consumer": "c", "topic": "t", "partition": 0, "offset": 7, "error": "x", "attempts": 3}
            await uow.record_dead_letter(**dead, payload=b"{}")  # a statement sent before the commit
            uow.insert(tables.audit_log, at=now, action="a", outcome="accepted", status=202, target="t")
            uow.emit(deadline(), key="k")
            await uow.commit()
        async with UnitOfWork(sessions, tables, "test") as uow:
            mail = ["vanphong@anbien.haiphong.gov.vn"]
            uow.session.add(models.Subscription(unit="11407", emails=mail, updated_at=now))
            uow.insert(tables.audit_log, at=now, action="b", outcome="accepted", status=202, target="t")
            await uow.commit()
        async with engine.connect() as conn:  # another connection sees every row of both writes
            actions = (await conn.execute(text("SELECT action FROM audit_log ORDER BY id"))).scalars().all()
            counts = [
                (await conn.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one()
                for table in ("dead_letters", "outbox", "subscriptions")
            ]
        assert actions == ["a", "b"] and counts == [1, 1, 1]
        postgresql = make_url(database_url).get_backend_name() == "postgresql"
        assert sent_with_commit == ([True, False] if postgresql else [False, False])
    finally:
        await engine.dispose()

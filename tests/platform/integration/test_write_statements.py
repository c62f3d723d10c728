"""A write's statements on a real store (ADR 0100): its new rows together, its look-ups through the driver."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import HTTPException
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, PendingRollbackError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.platform import db, migrations
from dondoc.platform.auth import Principal
from dondoc.platform.bulk import BulkWriter
from dondoc.platform.db import create_engine, driver_rows, reading, session_factory
from dondoc.platform.idempotency import accept_write
from dondoc.platform.refusals import AssignmentNotFound
from dondoc.platform.uow import UnitOfWork
from services.notify import models
from shared.events import DeadlineNear
from tests.support import PG_ADMIN

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"
WARD = Principal(key_id="k-ward", unit="11407", role="unit")


@dataclass(frozen=True)
class Store:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """notify's store migrated, on SQLite and on PostgreSQL; its engine disposed after the test."""
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    try:
        yield Store(database_url, engine, session_factory(engine))
    finally:
        await engine.dispose()


def deadline() -> DeadlineNear:
    return DeadlineNear(
        assignment_id=str(uuid.uuid4()),
        unit="11407",
        due=datetime.now(UTC).date(),
        days_left=3,
        offset_days=3,
    )


async def test_a_write_commits_its_audit_idempotency_and_outbox_rows_together_and_a_retry_replays(
    store: Store,
) -> None:
    tables = models.PLATFORM

    def uow() -> UnitOfWork:
        return UnitOfWork(store.sessions, tables, "test")

    async def work(unit_of_work: UnitOfWork) -> tuple[int, dict[str, object], str | None]:
        unit_of_work.emit(deadline(), key="a-1")
        return 202, {"id": "r-1", "status": "accepted", "note": "Đã nhận"}, "a-1"

    first = await accept_write(uow, WARD, "result.submit", "key-1", b"{}", work)
    again = await accept_write(uow, WARD, "result.submit", "key-1", b"{}", work)
    assert first.status_code == again.status_code == 202
    assert bytes(first.body) == bytes(again.body) and again.headers["Idempotent-Replayed"] == "true"
    async with store.engine.connect() as conn:
        audit = (await conn.execute(select(tables.audit_log))).mappings().all()
        outbox = (await conn.execute(select(tables.outbox.c.key, tables.outbox.c.created_at))).all()
        kept = (await conn.execute(select(tables.idempotency))).mappings().one()
    assert [(a["key_id"], a["unit"], a["target"], a["outcome"]) for a in audit] == [
        ("k-ward", "11407", "a-1", "accepted")
    ]
    assert [row.key for row in outbox] == ["a-1"] and outbox[0].created_at is not None
    assert kept["principal"] == "k-ward" and kept["status"] == 202
    assert "Đã nhận" in bytes(kept["body"]).decode()


async def test_a_keyed_retry_answers_the_first_answer_when_its_work_now_refuses_or_races_it(
    store: Store,
) -> None:
    """The key's record is not looked up before the work (ADR 0126): a retry runs the work again, and its
    primary key, or the work's own refusal, turns the retry into the first answer with nothing stored."""
    tables = models.PLATFORM
    ran: list[str] = []

    def uow() -> UnitOfWork:
        return UnitOfWork(store.sessions, tables, "test")

    async def accepted(unit_of_work: UnitOfWork) -> tuple[int, dict[str, object], str | None]:
        ran.append("accepted")
        unit_of_work.emit(deadline(), key="a-1")
        await asyncio.sleep(0.05)  # a concurrent twin with the same key runs meanwhile
        return 202, {"id": f"r-{len(ran)}"}, "a-1"

    async def refused(unit_of_work: UnitOfWork) -> tuple[int, dict[str, object], str | None]:
        ran.append("refused")
        raise AssignmentNotFound()

    first, twin = await asyncio.gather(
        accept_write(uow, WARD, "result.submit", "key-1", b"{}", accepted),
        accept_write(uow, WARD, "result.submit", "key-1", b"{}", accepted),
    )
    later = await accept_write(uow, WARD, "result.submit", "key-1", b"{}", refused)
    assert ran == ["accepted", "accepted", "refused"]  # each ran its work
    answers = [bytes(a.body) for a in (first, twin, later)]
    assert answers[0] == answers[1] == answers[2]
    replayed = sorted(a.headers.get("Idempotent-Replayed", "") for a in (first, twin, later))
    assert replayed == ["", "true", "true"]
    with pytest.raises(HTTPException) as reused:  # the same key for another request
        await accept_write(uow, WARD, "result.submit", "key-1", b'{"other": 1}', accepted)
    assert reused.value.status_code == 422 and "Idempotency-Key" in str(reused.value.detail)
    with pytest.raises(AssignmentNotFound):  # a key never stored: the refusal itself
        await accept_write(uow, WARD, "result.submit", "key-2", b"{}", refused)
    async with store.engine.connect() as conn:
        audit = (await conn.execute(select(tables.audit_log))).all()
        outbox = (await conn.execute(select(tables.outbox))).all()
        kept = (await conn.execute(select(tables.idempotency))).all()
    assert len(audit) == len(outbox) == len(kept) == 1  # only the first write took effect


async def test_rows_of_several_tables_are_written_at_once_or_not_at_all(store: Store) -> None:
    tables = models.PLATFORM
    now = datetime.now(UTC)
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        for n in range(3):
            uow.insert(tables.processed, consumer="c", event_id=f"e-{n}", processed_at=now)
        uow.insert(tables.audit_log, at=now, action="a", outcome="accepted", status=202, target="t")
        uow.emit(deadline(), key="k")
        await uow.commit()
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        uow.insert(tables.audit_log, at=now, action="b", outcome="accepted", status=202, target="t")
        uow.insert(tables.processed, consumer="c", event_id="e-1", processed_at=now)  # there already
        with pytest.raises(IntegrityError):
            await uow.commit()
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        processed = await driver_rows(uow.session, "SELECT event_id FROM processed_events ORDER BY 1")
        actions = await driver_rows(uow.session, "SELECT action FROM audit_log")
        events = await driver_rows(uow.session, "SELECT COUNT(*) FROM outbox")
    assert [row[0] for row in processed] == ["e-0", "e-1", "e-2"]
    assert [row[0] for row in actions] == ["a"]  # the failed transaction's audit row went with it
    assert events[0][0] == 1


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


async def test_a_look_up_leaves_the_statements_psycopg_prepared_for_the_writes(postgres_url: str) -> None:
    """`db.reading` runs a look-up outside a transaction: no ROLLBACK after it, which psycopg answers with
    DEALLOCATE ALL. A plain connection's look-up (what every look-up did before) still drops them."""
    engine = create_engine(postgres_url)
    count = "SELECT count(*) FROM pg_prepared_statements"  # this session's: the pool holds one connection

    async def transaction_ids() -> tuple[int, int]:
        async with engine.begin() as conn:
            first = (await conn.exec_driver_sql("SELECT txid_current()")).scalar_one()
            return int(first), int((await conn.exec_driver_sql("SELECT txid_current()")).scalar_one())

    try:
        async with engine.begin() as conn:  # psycopg prepares a statement from its 5th use
            for n in range(6):
                await conn.exec_driver_sql("SELECT %(n)s::int + 1", {"n": n})
        async with reading(engine) as conn:
            assert int((await conn.exec_driver_sql(count)).scalar_one()) >= 1
        async with reading(engine) as conn:  # the first look-up ended without dropping them
            assert int((await conn.exec_driver_sql(count)).scalar_one()) >= 1
        first, second = await transaction_ids()  # a write on it is one transaction again
        assert first == second
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 3"))  # rolled back when it goes back to the pool
        async with reading(engine) as conn:
            assert int((await conn.exec_driver_sql(count)).scalar_one()) == 0
    finally:
        await engine.dispose()


async def test_a_unit_of_work_that_only_read_leaves_psycopg_its_statements_and_one_that_wrote_rolls_back(
    postgres_url: str,
) -> None:
    """ADR 0128: a unit of work that ends without a commit, on PostgreSQL, ends with a COMMIT when the server
    says it wrote nothing (its statements stay prepared), and with a ROLLBACK when it wrote, raised or left
    rows unsent: what it wrote is gone, as before."""
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, postgres_url)
    engine = create_engine(postgres_url)  # used one at a time: the pool holds one connection, which all share
    sessions = session_factory(engine)
    tables = models.PLATFORM
    prepared = "SELECT count(*) FROM pg_prepared_statements"
    now = datetime.now(UTC)
    subscription = models.Subscription(unit="11407", emails=["a@b.vn"], updated_at=now)

    async def statements() -> int:
        async with reading(engine) as conn:
            return int((await conn.exec_driver_sql(prepared)).scalar_one())

    async def inbox() -> int:
        async with reading(engine) as conn:
            return int((await conn.exec_driver_sql("SELECT count(*) FROM processed_events")).scalar_one())

    try:
        for _ in range(6):  # psycopg prepares a statement from its 5th use
            async with UnitOfWork(sessions, tables, "test") as uow:
                await driver_rows(uow.session, "SELECT count(*) FROM outbox WHERE topic = ?", "t")
        assert await statements() >= 1
        async with UnitOfWork(sessions, tables, "test") as uow:  # a page's read: an ORM query
            rows = (await uow.session.execute(select(models.Subscription))).scalars().all()
            assert rows == []
        assert await statements() >= 1  # kept: the read ended with a COMMIT

        async with UnitOfWork(sessions, tables, "test") as uow:  # written, never committed
            await driver_rows(
                uow.session,
                "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, now())",
                "c",
                "e",
            )
        assert await inbox() == 0
        assert await statements() == 0  # it was rolled back, and psycopg dropped what it had prepared

        with pytest.raises(RuntimeError):
            async with UnitOfWork(sessions, tables, "test") as uow:
                uow.session.add(subscription)
                await uow.session.flush()
                raise RuntimeError("the work failed after its rows were sent")
        async with UnitOfWork(sessions, tables, "test") as uow:  # rows added, not sent: not committed
            uow.session.add(models.Subscription(unit="11408", emails=[], updated_at=now))
            uow.emit(deadline(), key="k")
        async with reading(engine) as conn:
            left = [
                (await conn.exec_driver_sql(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("subscriptions", "outbox")
            ]
        assert left == [0, 0]
    finally:
        await engine.dispose()


async def test_new_rows_alone_go_with_the_commit_on_postgresql_and_orm_rows_still_flush_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0121: a write of `insert` rows only reaches PostgreSQL with its COMMIT in one round trip; a write
    that also added ORM rows flushes them and commits as before. Both are committed, whatever the store."""
    sent_with_commit: list[bool] = []
    real = BulkWriter.insert_together

    async def watched(self: BulkWriter, connection: Any, parts: Any, *, then_commit: bool = False) -> None:
        sent_with_commit.append(then_commit)
        await real(self, connection, parts, then_commit=then_commit)

    monkeypatch.setattr(BulkWriter, "insert_together", watched)
    tables = models.PLATFORM
    now = datetime.now(UTC)
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        dead = {"consumer": "c", "topic": "t", "partition": 0, "offset": 7, "error": "x", "attempts": 3}
        await uow.record_dead_letter(**dead, payload=b"{}")  # a statement sent before the commit
        uow.insert(tables.audit_log, at=now, action="a", outcome="accepted", status=202, target="t")
        uow.emit(deadline(), key="k")
        await uow.commit()
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        mail = ["vanphong@anbien.haiphong.gov.vn"]
        uow.session.add(models.Subscription(unit="11407", emails=mail, updated_at=now))
        uow.insert(tables.audit_log, at=now, action="b", outcome="accepted", status=202, target="t")
        await uow.commit()
    async with store.engine.connect() as conn:  # another connection sees every row of both writes
        actions = (await conn.execute(text("SELECT action FROM audit_log ORDER BY id"))).scalars().all()
        counts = [
            (await conn.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one()
            for table in ("dead_letters", "outbox", "subscriptions")
        ]
    assert actions == ["a", "b"] and counts == [1, 1, 1]
    postgresql = make_url(store.url).get_backend_name() == "postgresql"
    assert sent_with_commit == ([True, False] if postgresql else [False, False])


def _copy(assignment_id: str) -> models.AssignmentCopy:
    return models.AssignmentCopy(
        assignment_id=assignment_id,
        unit="11407",
        unit_name="Phường Thủy Nguyên",
        plan_id="p-1",
        plan_title="Kế hoạch",
        task_title="Rà soát",
        role="lead",
    )


async def test_a_write_asks_sqlalchemy_for_its_connection_once_and_a_new_transaction_asks_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0124: the look-ups of a write go through the driver of one connection, found once; the next
    transaction finds its own (and sees what the first committed)."""
    tables = models.PLATFORM
    asked: list[object] = []
    original = store.sessions.class_.connection

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        connection = await original(self, *args, **kwargs)
        asked.append(connection)
        return connection

    monkeypatch.setattr(store.sessions.class_, "connection", counted)
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        for i in range(3):
            uow.insert(tables.idempotency, principal="k", key=f"k-{i}", request_hash="h", status=202,
                       body=b"{}", created_at=datetime.now(UTC))  # fmt: skip
            await uow.write_inserted()
            found = await driver_rows(uow.session, "SELECT count(*) FROM idempotency_keys")
            assert found == [(i + 1,)]  # the transaction's own rows: the same connection every time
        assert len(asked) == 1
        await uow.commit()
    async with UnitOfWork(store.sessions, tables, "test") as uow:
        assert await driver_rows(uow.session, "SELECT count(*) FROM idempotency_keys") == [(3,)]
        assert len(asked) == 2 and asked[1] is not None


async def test_a_transaction_that_failed_is_not_handed_its_connection_again(store: Store) -> None:
    """After a failed flush SQLAlchemy has rolled the transaction back: a driver statement then must not run
    on the connection as if the transaction were still open (outside any transaction), but fail as before."""
    async with UnitOfWork(store.sessions, models.PLATFORM, "test") as uow:
        uow.session.add(_copy("a-1"))
        await uow.session.flush()
        await driver_rows(uow.session, "SELECT count(*) FROM assignment_copies")  # the connection, kept
        uow.session.add(_copy("a-1"))  # the same key again: the flush fails
        with pytest.raises(IntegrityError):
            await uow.session.flush()
        with pytest.raises(PendingRollbackError):
            await driver_rows(uow.session, "INSERT INTO assignment_copies (assignment_id) VALUES ('x')")
    async with store.sessions() as session:
        assert (await session.execute(text("SELECT count(*) FROM assignment_copies"))).scalar() == 0


async def test_a_session_committed_is_left_without_a_close_and_its_rows_stay_readable(
    store: Store,
) -> None:
    async with UnitOfWork(store.sessions, models.PLATFORM, "test") as uow:
        copy = uow.add(_copy("a-2"))
        await uow.commit()
    assert copy.task_title == "Rà soát"
    async with UnitOfWork(store.sessions, models.PLATFORM, "test") as uow:
        uow.add(_copy("a-3"))  # never committed: the unit of work's end rolls it back
    async with store.sessions() as session:
        ids = (await session.execute(text("SELECT assignment_id FROM assignment_copies"))).scalars().all()
    assert ids == ["a-2"]

"""The unit of work: one database transaction that also writes the events it caused to the outbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker
from sqlalchemy.orm import SessionTransaction
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.bulk import BulkWriter, bulk_writer, connection_of
from dondoc.platform.context import current_causation_id, current_correlation_id
from dondoc.platform.tables import PlatformTables
from shared.envelope import Envelope, wrap
from shared.events import Event

T = TypeVar("T")
_INBOX_COLUMNS = ("consumer", "event_id", "processed_at")
_OUTBOX_COLUMNS = ("event_id", "topic", "key", "payload", "created_at", "attempts")


class UnitOfWork:
    """Rolls back unless told to commit; on commit the collected events go to the outbox atomically."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: PlatformTables,
        source: str,
        on_commit: Callable[[list[Envelope]], None] = lambda events: None,
        writer: asyncio.Lock | None = None,
    ) -> None:
        self._sessions = sessions
        self._writer = writer
        self._writing = False
        self._tables = tables
        self._source = source
        self._on_commit = on_commit
        self._pending: list[tuple[Envelope, str | None]] = []
        self._session: AsyncSession | None = None
        self._added: dict[tuple[type, object], object] = {}
        self._absent: set[tuple[type, object]] = set()
        self._loaded: list[object] = []  # the session's identity map holds rows weakly; a batch needs them
        self._inserts: dict[tuple[Table, tuple[str, ...]], list[tuple[object, ...]]] = {}
        self._memo: dict[object, object] = {}
        self._before_commit: dict[object, Callable[[], Awaitable[None]]] = {}

    @property
    def tables(self) -> PlatformTables:
        return self._tables

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._pending = []
        self._added = {}
        self._absent = set()
        self._loaded = []
        self._inserts = {}
        self._memo = {}
        self._before_commit = {}
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._session is not None:
                # close() rolls back whatever was not committed, and leaves loaded objects readable
                # (rollback() would expire them before a route could serialise them). A session whose
                # transaction has ended (committed) holds no connection: closing it would only detach its
                # objects, in a greenlet of its own (ADR 0124).
                transaction = self._session.sync_session.get_transaction()
                if transaction is not None:
                    if exc_type is None and await self._wrote_nothing(transaction):
                        await self._end_read_only()
                    else:
                        await self._session.close()
                self._session = None
        finally:  # the next writer's turn only once this transaction has ended
            if self._writing and self._writer is not None:
                self._writer.release()
                self._writing = False

    async def _wrote_nothing(self, transaction: SessionTransaction) -> bool:
        """Whether this transaction, on PostgreSQL, ends with nothing written: then it ends with a COMMIT.

        psycopg answers a `ROLLBACK` by dropping every statement it prepared on the connection (`DEALLOCATE
        ALL`), so a page's read that ended in one made the next writes on that pooled connection parse and
        plan their statements again (ADR 0128; look-ups outside a unit of work: ADR 0127). The server says
        whether the transaction wrote: it assigns a transaction id at the first write (and at a row lock).
        Anything not yet sent (ORM rows, `insert` rows, events) or a failed statement keeps the rollback.
        """
        connections = transaction.connections
        if len(connections) != 1:
            return False
        (connection,) = connections
        if connection.dialect.name != "postgresql" or connection.closed or connection.invalidated:
            return False  # SQLite's rollback costs nothing of the kind: asked first, so it asks nothing else
        session = self.session
        if self._inserts or self._pending or self._before_commit:
            return False
        if session.new or session.dirty or session.deleted:
            return False
        driver = connection.connection.driver_connection
        if driver is None or driver.info.transaction_status.name != "INTRANS":
            return False  # nothing begun on the server (a rollback sends nothing), or a failed statement
        try:
            async with driver.cursor() as cursor:
                await cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
                row = await cursor.fetchone()
        except connection.dialect.loaded_dbapi.Error:
            return False
        return bool(row and row[0])

    async def _end_read_only(self) -> None:
        """COMMIT a transaction that wrote nothing: the same end as a rollback, without psycopg's reset."""
        try:
            await self.session.commit()
        except DBAPIError:  # the connection failed meanwhile: the rollback's way, as before
            await self.session.close()

    async def lock_for_writing(self) -> None:
        """Wait for this process's turn to write, held until the unit of work ends (SQLite only).

        SQLite has a single write lock, and a writer that finds it taken sleeps and retries (up to 100 ms
        each time) and loses it again under load: sixteen concurrent requests made a p99 of seconds, and a
        read-then-write (the next version number) could race its twin into a conflict. Writers of one process
        queue here instead, in arrival order; PostgreSQL needs no such queue (`writer` is None).
        """
        if self._writer is not None and not self._writing:
            await self._writer.acquire()
            self._writing = True

    def add(self, row: T) -> T:
        """Add a row to this transaction so that `get` finds it before it is flushed."""
        self.session.add(row)
        key = inspect(type(row)).primary_key_from_instance(row)
        identity = (type(row), key[0] if len(key) == 1 else tuple(key))
        self._added[identity] = row
        self._absent.discard(identity)
        return row

    def insert(self, model: type[Any] | Table, **values: object) -> None:
        """Write a new row with this transaction, with the other rows of its table in one statement at commit.

        For rows a batch writes by the thousand and never reads back in the same transaction (inbox items,
        log lines): building an ORM object costs more than the whole write. Neither `get` nor a query finds
        the row before the commit, and a key repeated in the batch fails the commit, which then handles the
        batch one event at a time (slower, never wrong). Columns left out get their table defaults.
        """
        table = model if isinstance(model, Table) else cast(Table, model.__table__)
        self._inserts.setdefault((table, tuple(values)), []).append(tuple(values.values()))

    async def write_inserted(self) -> None:
        """Write the rows `insert` collected so far, so that a query of this transaction sees them.

        The commit does it anyway; a handler calls it before a query that must find rows of its own batch.
        """
        if self._inserts:
            if self._orm_pending():  # the ORM's rows first: an inserted row may refer to one of them
                await self.session.flush()
            inserts, self._inserts = self._inserts, {}
            connection, bulk = await self._bulk()
            parts = [(table, columns, rows) for (table, columns), rows in inserts.items()]
            await bulk.insert_together(connection, parts)

    async def _write_with_commit(self) -> bool:
        """On PostgreSQL, send a transaction's `insert` rows and its COMMIT together, in one round trip, when
        they are all it writes and fit one statement (a request's result, audit, idempotency and outbox rows):
        nothing of the ORM's left to flush, nothing else sent after them. Whether it did (ADR 0121)."""
        if not self._inserts:
            return False
        connection, bulk = await self._bulk()
        parts = [(table, columns, rows) for (table, columns), rows in self._inserts.items()]
        if not bulk.one_statement(parts) or self._orm_pending():  # the ORM's state last: see `_orm_pending`
            return False
        self._inserts = {}
        await bulk.insert_together(connection, parts, then_commit=True)
        return True

    def _orm_pending(self) -> bool:
        """Whether the ORM has rows of this transaction to flush (`dirty` walks every object it loaded)."""
        session = self.session
        return bool(session.new or session.dirty or session.deleted)

    async def _bulk(self) -> tuple[AsyncConnection, BulkWriter]:
        """This transaction's connection and the driver-level writer for its dialect (ADR 0105)."""
        connection = await connection_of(self.session)
        return connection, bulk_writer(connection.dialect)

    def memo(self, key: object, factory: Callable[[], T]) -> T:
        """What this transaction keeps under `key` (made by `factory` the first time): state that a batch's
        events share, such as a group several of them join, so that it is loaded and worked out once."""
        if key not in self._memo:
            self._memo[key] = factory()
        return cast(T, self._memo[key])

    def before_commit(self, key: object, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` once when this transaction commits, before its rows are written: what several events
        of a batch each changed (a digest several notices join) is then worked out once, not per event.
        Registering again under the same key keeps the first."""
        self._before_commit.setdefault(key, work)

    async def get(self, model: type[T], key: object) -> T | None:
        """A row by primary key, without flushing first (a batch of events would flush once per event).

        Finds rows added in this transaction through `add` and rows already stored; a row added with
        `session.add` and not flushed yet is not seen, so an insert of the same key fails at the flush and the
        batch is handled again one event at a time.
        """
        added = self._added.get((model, key))
        if added is not None:
            return cast(T, added)
        if (model, key) in self._absent:
            return None
        with self.session.no_autoflush:
            return await self.session.get(model, key)

    async def prefetch(self, model: type[Any], keys: Iterable[object]) -> None:
        """Load the rows of a single-column primary key in one query, so that `get` needs none for them.

        A batch's handler fetches its rows with it before the batch's events are handled one by one.
        """
        wanted = {key for key in keys if (model, key) not in self._added}
        if not wanted:
            return
        column = inspect(model).primary_key[0]
        found: set[object] = set()
        ordered = list(wanted)
        with self.session.no_autoflush:
            for start in range(0, len(ordered), 500):  # bounded IN lists
                query = select(model).where(column.in_(ordered[start : start + 500]))
                for row in (await self.session.execute(query)).scalars():
                    found.add(inspect(model).primary_key_from_instance(row)[0])
                    self._loaded.append(row)
        self._absent |= {(model, key) for key in wanted - found}

    def emit(self, event: Event, *, key: str | None, subject: str | None = None) -> Envelope:
        """Record an event to publish when (and only if) this unit of work commits."""
        envelope = wrap(
            event,
            source=self._source,
            correlation_id=current_correlation_id(),
            causation_id=current_causation_id(),
            subject=subject,
        )
        self._pending.append((envelope, key))
        return envelope

    async def already_processed(self, consumer: str, event_id: str) -> bool:
        table = self._tables.processed
        query = select(table.c.event_id).where(table.c.consumer == consumer, table.c.event_id == event_id)
        return (await self.session.execute(query)).first() is not None

    async def processed_among(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these event ids the consumer has processed already (one query for a whole batch)."""
        table = self._tables.processed
        connection, bulk = await self._bulk()
        found: set[str] = set()
        for start in range(0, len(event_ids), 500):  # bounded IN lists: SQLite caps bound parameters
            chunk = list(event_ids[start : start + 500])
            sql = bulk.among_sql(table, "event_id", "consumer", len(chunk))
            parameters = (consumer, chunk) if bulk.dialect.name == "postgresql" else (consumer, *chunk)
            found.update(await bulk.fetch_column(connection, sql, parameters))
        return found

    async def claim(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """Record in the inbox those of these events the consumer has not processed; return their ids.

        One statement for a whole batch, in the same transaction as the effects the batch then writes: an
        id not returned was processed before (or is repeated in `event_ids`), and if the transaction does
        not commit, none of them is recorded.
        """
        if not event_ids:
            return set()
        table = self._tables.processed
        connection, bulk = await self._bulk()
        now = bulk.value(table.c.processed_at, SYSTEM_CLOCK.now())
        ids: object = list(event_ids) if bulk.dialect.name == "postgresql" else json.dumps(list(event_ids))
        return set(await bulk.fetch_column(connection, bulk.claim_sql(table), (consumer, ids, now)))

    async def mark_processed_many(self, keys: Sequence[tuple[str, str]]) -> None:
        """Record (consumer, event id) pairs in the same transaction as their effects."""
        if keys:
            table = self._tables.processed
            connection, bulk = await self._bulk()
            now = SYSTEM_CLOCK.now()
            await bulk.insert(connection, table, _INBOX_COLUMNS, [(c, e, now) for c, e in keys])

    async def mark_processed(self, consumer: str, event_id: str) -> None:
        """Record the event id in the same transaction as its effect (the consumer's inbox)."""
        await self.session.execute(
            insert(self._tables.processed).values(
                consumer=consumer, event_id=event_id, processed_at=SYSTEM_CLOCK.now()
            )
        )

    async def record_dead_letter(self, **values: object) -> None:
        """Keep a message the consumer gave up on, for operators to see and replay."""
        await self.session.execute(
            insert(self._tables.dead_letters).values(created_at=SYSTEM_CLOCK.now(), **values)
        )

    async def commit(self) -> None:
        while self._before_commit:  # work that may itself register more
            pending, self._before_commit = self._before_commit, {}
            for work in pending.values():
                await work()
        if self._pending:  # with the transaction's other new rows (one statement on PostgreSQL)
            now = SYSTEM_CLOCK.now()
            self._inserts.setdefault((self._tables.outbox, _OUTBOX_COLUMNS), []).extend(
                (env.id, env.topic, key, env.to_bytes(), now, 0) for env, key in self._pending
            )
        if not await self._write_with_commit():
            await self.write_inserted()
        await self.session.commit()  # after `_write_with_commit` the driver has nothing left to commit
        committed = [envelope for envelope, _key in self._pending]
        self._pending = []
        if committed:
            self._on_commit(committed)

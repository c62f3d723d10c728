"""The outbox relay: publishes committed event rows in order, keyed by aggregate id, then marks them sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.platform.db import reading
from dondoc.platform.tables import PlatformTables

log = logging.getLogger(__name__)

# Publishing hands a row to the producer; it may return the broker's acknowledgement still to come.
PublishFn = Callable[[str, str | None, bytes], Awaitable[Awaitable[object] | None]]
ConfirmFn = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class PendingMessage:
    id: int
    event_id: str
    topic: str
    key: str | None
    payload: bytes
    created_at: datetime


@dataclass
class Lease:
    """A batch of pending rows this relay alone may publish, and what became of them."""

    messages: Sequence[PendingMessage]
    published: list[int] = field(default_factory=list)
    failure: tuple[int, str] | None = None


def _acknowledged(acknowledgement: Awaitable[object] | None) -> bool:
    if acknowledgement is None:
        return True
    return (
        isinstance(acknowledgement, asyncio.Future)
        and acknowledgement.done()
        and not acknowledgement.cancelled()
        and acknowledgement.exception() is None
    )


class OutboxStore(Protocol):
    def lease(self, limit: int) -> AbstractAsyncContextManager[Lease]: ...

    async def backlog(self) -> tuple[int, datetime | None]: ...

    async def republish(self) -> int: ...


class NotConnected(RuntimeError):
    """The publisher has no broker connection yet (a service starting): expected, so not a warning."""


class OutboxRelay:
    """Publishes the outbox in id order; on the first failure it stops so per-key order is kept."""

    def __init__(
        self,
        store: OutboxStore,
        publish: PublishFn,
        *,
        batch_size: int = 200,
        poll_seconds: float = 0.25,
        min_round_seconds: float = 0.0,
        on_published: Callable[[str], None] = lambda topic: None,
        confirm: ConfirmFn | None = None,
    ) -> None:
        self._store = store
        self._publish = publish
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        # Rounds start at most this often: under a stream of commits, each woke the relay for a round of
        # its own (a look-up, a broker check, a marking transaction with its fsync) that competed with the
        # writes themselves; a short pause gathers them into one round. A lone commit is not delayed.
        self._min_round_seconds = min_round_seconds
        self._on_published = on_published
        self._confirm = confirm
        self._wake = asyncio.Event()
        self._resume = asyncio.Event()
        self._stopping = False
        self._replay = False
        self._refused = False  # the last round could not publish (the broker away or not connected yet)

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting for the next poll."""
        self._wake.set()

    def resume(self) -> None:
        """The broker is connected (again): publish now rather than at the end of a back-off."""
        self._resume.set()
        self._wake.set()

    def replay(self) -> None:
        """The broker forgot what was published: publish every row again, from the first.

        Done by the relay's own next round, so that no round in flight interleaves with it.
        """
        self._replay = True
        self._wake.set()

    async def run_once(self) -> int:
        """Publish one batch; returns how many rows were published."""
        if self._replay:
            rows = await self._store.republish()  # if the store is away, asked again next round
            self._replay = False
            log.warning("publishing the outbox again", extra={"rows": rows})
        async with self._store.lease(self._batch_size) as lease:
            try:
                if lease.messages and not await self._confirmed(lease):
                    return 0
                await self._pipeline(lease)
                return len(lease.published)
            finally:
                self._refused = lease.failure is not None

    async def _pipeline(self, lease: Lease) -> None:
        """Hand the whole batch to the producer, then wait for the acknowledgements in id order.

        The producer keeps each partition's records in the order they were handed to it (one request in
        flight per partition), so keys keep their order while the batch travels in a few requests instead of
        one round trip per row. Only the unbroken prefix of acknowledged rows is marked; after a failure the
        rest is published again, and the consumers' inboxes absorb any copy that had got through.
        """
        sent: list[tuple[PendingMessage, Awaitable[object] | None]] = []
        try:
            for message in lease.messages:
                try:
                    acknowledgement = await self._publish(message.topic, message.key, message.payload)
                except Exception as exc:  # the broker may be away: keep the row, retry later
                    self._failed(lease, message, exc)
                    break
                if acknowledgement is None and not sent:  # delivered already
                    self._mark(lease, message)
                else:
                    sent.append((message, acknowledgement))
            for index, (message, acknowledgement) in enumerate(sent):
                try:
                    if acknowledgement is not None:
                        await acknowledgement
                except Exception as exc:
                    self._failed(lease, message, exc)
                    rest = [a for _m, a in sent[index + 1 :] if a is not None]
                    await asyncio.gather(*rest, return_exceptions=True)  # retrieved, so none goes unheard
                    return
                self._mark(lease, message)
        except asyncio.CancelledError:
            # A shutdown that could not wait: what the broker has acknowledged already is still marked (the
            # lease settles it), so that it does not leave twice.
            marked = set(lease.published)
            for message, acknowledgement in sent:
                if message.id in marked:
                    continue
                if not _acknowledged(acknowledgement):
                    break
                self._mark(lease, message)
            raise

    def _mark(self, lease: Lease, message: PendingMessage) -> None:
        lease.published.append(message.id)
        self._on_published(message.topic)

    def _failed(self, lease: Lease, message: PendingMessage, exc: Exception) -> None:
        if lease.failure is None:
            lease.failure = (message.id, f"{type(exc).__name__}: {exc}")
            level = logging.INFO if isinstance(exc, NotConnected) else logging.WARNING
            log.log(level, "outbox publish failed", extra={"topic": message.topic, "error": str(exc)})

    async def _confirmed(self, lease: Lease) -> bool:
        """Whether the broker is the one the rows marked published went to (checked before every batch,
        so that nothing new enters a log that has forgotten them before they are published again)."""
        if self._confirm is None:
            return True
        try:
            return await self._confirm()
        except Exception as exc:  # the broker cannot be asked, so it cannot be published to either
            lease.failure = (lease.messages[0].id, f"{type(exc).__name__}: {exc}")
            log.warning("outbox publish deferred", extra={"error": str(exc)})
            return False

    async def drain(self, max_rounds: int = 50) -> None:
        """Publish until nothing is pending or publishing fails (graceful shutdown flushes with this)."""
        for _ in range(max_rounds):
            pending, _oldest = await self._store.backlog()
            if not pending and not self._replay:
                return
            if not await self.run_once() and not self._replay:
                return  # the broker is away: what is left stays for the next start

    async def run(self) -> None:
        """Loop until cancelled: publish, then wait for a wake-up or the poll interval."""
        failures = refusals = 0
        while not self._stopping:
            began = time.monotonic()
            # Cleared before the round, not after it: a commit that lands while a round is in flight (its
            # rows too late for the round's look-up) must start the next round at once, not a poll later.
            self._wake.clear()
            self._resume.clear()
            try:
                published = await self.run_once()
                failures, refusals = 0, refusals + 1 if self._refused else 0
            except Exception:  # the database may be away; back off and try again
                failures += 1
                log.exception("outbox relay round failed")
                published = 0
            if published >= self._batch_size or self._replay:
                continue
            if refusals:
                # The broker refused: a commit cannot change that, only time or its coming back (`resume`).
                # Waking on every commit made a failed round, a warning and an UPDATE per request.
                delay = self._poll_seconds * min(2**refusals, 8)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._resume.wait(), timeout=delay)
                continue
            delay = self._poll_seconds * min(2**failures, 40)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            pause = self._min_round_seconds - (time.monotonic() - began)
            if pause > 0 and not self._stopping:
                await asyncio.sleep(pause)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._resume.set()


class SqlOutboxStore:
    """The outbox in the service's own database (SQLite or PostgreSQL)."""

    # One relay publishes at a time per database so per-key order holds with several instances.
    _ADVISORY_LOCK = 0x646F6E646F63  # "dondoc"

    def __init__(
        self, engine: AsyncEngine, tables: PlatformTables, writer: asyncio.Lock | None = None
    ) -> None:
        self._engine = engine
        self._writer = writer or asyncio.Lock()  # SQLite: the process's writers take turns
        self._table = tables.outbox
        self._postgres = engine.dialect.name == "postgresql"

    async def _pending(self, conn: AsyncConnection, limit: int) -> list[PendingMessage]:
        t = self._table
        query = select(t.c.id, t.c.event_id, t.c.topic, t.c.key, t.c.payload, t.c.created_at)
        query = query.where(t.c.published_at.is_(None)).order_by(t.c.id).limit(limit)
        return [PendingMessage(*row) for row in (await conn.execute(query)).all()]

    async def _settle(self, conn: AsyncConnection, lease: Lease) -> None:
        t = self._table
        if lease.published:
            now = SYSTEM_CLOCK.now()
            await conn.execute(update(t).where(t.c.id.in_(lease.published)).values(published_at=now))
        if lease.failure:
            row_id, error = lease.failure
            await conn.execute(
                update(t).where(t.c.id == row_id).values(attempts=t.c.attempts + 1, last_error=error[:2000])
            )

    @asynccontextmanager
    async def lease(self, limit: int) -> AsyncIterator[Lease]:
        if self._postgres:
            async with self._engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    locked = await conn.scalar(
                        text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": self._ADVISORY_LOCK}
                    )
                    lease = Lease(await self._pending(conn, limit) if locked else [])
                    try:
                        yield lease
                    finally:  # what reached the broker is marked even if the round was interrupted
                        await self._settle(conn, lease)
                        await transaction.commit()
                finally:
                    if transaction.is_active:
                        await transaction.rollback()
            return
        # SQLite: short transactions around the publishing; one relay per database file.
        async with self._engine.connect() as conn:
            lease = Lease(await self._pending(conn, limit))
        try:
            yield lease
        finally:  # what reached the broker is marked even if the round was interrupted
            async with self._writer, self._engine.begin() as conn:
                await self._settle(conn, lease)

    async def republish(self) -> int:
        """Mark every row unpublished again, so the relay publishes them all anew in id order.

        Every row kept: nothing deletes outbox rows, so they are this service's whole history, and a consumer
        (or a read model rebuilt later) may need any of it; the consumers' inboxes absorb the repeats. If rows
        are ever pruned, the horizon must stay beyond the longest topic retention, which is then the bound.
        On PostgreSQL this waits for the relay that holds the lock, so no batch in flight is marked after it.
        """
        t = self._table
        async with self._engine.begin() as conn:
            if self._postgres:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._ADVISORY_LOCK})
            result = await conn.execute(
                update(t).where(t.c.published_at.is_not(None)).values(published_at=None)
            )
        return int(result.rowcount or 0)

    async def published_by_topic(self) -> dict[str, int]:
        """How many rows have been published into each topic (to compare with what the broker holds)."""
        t = self._table
        query = select(t.c.topic, func.count()).where(t.c.published_at.is_not(None)).group_by(t.c.topic)
        async with reading(self._engine) as conn:
            return {str(topic): int(n) for topic, n in (await conn.execute(query)).all()}

    async def backlog(self) -> tuple[int, datetime | None]:
        t = self._table
        query = select(func.count(), func.min(t.c.created_at)).where(t.c.published_at.is_(None))
        async with reading(self._engine) as conn:
            count, oldest = (await conn.execute(query)).one()
        return int(count), None if oldest is None else as_utc(oldest)

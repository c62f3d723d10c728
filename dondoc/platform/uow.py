"""The unit of work: one database transaction that also writes the events it caused to the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.platform.context import current_causation_id, current_correlation_id
from dondoc.platform.tables import PlatformTables
from shared.envelope import Envelope, wrap
from shared.events import Event


class UnitOfWork:
    """Rolls back unless told to commit; on commit the collected events go to the outbox atomically."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: PlatformTables,
        source: str,
        on_commit: Callable[[list[Envelope]], None] = lambda events: None,
    ) -> None:
        self._sessions = sessions
        self._tables = tables
        self._source = source
        self._on_commit = on_commit
        self._pending: list[tuple[Envelope, str | None]] = []
        self._session: AsyncSession | None = None

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
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            # close() rolls back whatever was not committed, and leaves loaded objects readable
            # (rollback() would expire them before a route could serialise them).
            await self._session.close()
            self._session = None

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
        found: set[str] = set()
        for start in range(0, len(event_ids), 500):  # bounded IN lists: SQLite caps bound parameters
            chunk = list(event_ids[start : start + 500])
            query = select(table.c.event_id).where(table.c.consumer == consumer, table.c.event_id.in_(chunk))
            found |= {str(row[0]) for row in (await self.session.execute(query)).all()}
        return found

    async def mark_processed_many(self, keys: Sequence[tuple[str, str]]) -> None:
        """Record (consumer, event id) pairs in the same transaction as their effects."""
        if keys:
            now = datetime.now(UTC)
            await self.session.execute(
                insert(self._tables.processed),
                [{"consumer": c, "event_id": e, "processed_at": now} for c, e in keys],
            )

    async def mark_processed(self, consumer: str, event_id: str) -> None:
        """Record the event id in the same transaction as its effect (the consumer's inbox)."""
        await self.session.execute(
            insert(self._tables.processed).values(
                consumer=consumer, event_id=event_id, processed_at=datetime.now(UTC)
            )
        )

    async def record_dead_letter(self, **values: object) -> None:
        """Keep a message the consumer gave up on, for operators to see and replay."""
        await self.session.execute(
            insert(self._tables.dead_letters).values(created_at=datetime.now(UTC), **values)
        )

    async def commit(self) -> None:
        now = datetime.now(UTC)
        if self._pending:
            await self.session.execute(
                insert(self._tables.outbox),
                [
                    {
                        "event_id": env.id,
                        "topic": env.topic,
                        "key": key,
                        "payload": env.to_bytes(),
                        "created_at": now,
                        "attempts": 0,
                    }
                    for env, key in self._pending
                ],
            )
        await self.session.commit()
        committed = [envelope for envelope, _key in self._pending]
        self._pending = []
        if committed:
            self._on_commit(committed)

"""In-memory stand-ins for the platform's ports, for unit tests of its rules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import TracebackType
from typing import cast

from dondoc.platform.consumer import Handler, MessageProcessor, RawMessage, UowFactory
from dondoc.platform.outbox import Lease, PendingMessage
from shared.envelope import Envelope, wrap
from shared.events import DeadlineNear, Event


@dataclass
class OutboxRow:
    """One row of the fake outbox, as the real table holds it."""

    id: int
    topic: str
    key: str | None
    payload: bytes
    published: bool = False
    attempts: int = 0
    error: str | None = None


class FakeOutboxStore:
    """Rows in a list; a lease hands out the unpublished ones in id order."""

    def __init__(self) -> None:
        self.rows: list[OutboxRow] = []

    def add(self, topic: str, key: str | None, payload: bytes) -> None:
        self.rows.append(OutboxRow(len(self.rows) + 1, topic, key, payload))

    @asynccontextmanager
    async def lease(self, limit: int) -> AsyncIterator[Lease]:
        pending = [r for r in self.rows if not r.published][:limit]
        now = datetime.now(UTC)
        lease = Lease([PendingMessage(r.id, f"e{r.id}", r.topic, r.key, r.payload, now) for r in pending])
        yield lease
        for row in self.rows:
            if row.id in lease.published:
                row.published = True
            if lease.failure and row.id == lease.failure[0]:
                row.attempts += 1
                row.error = lease.failure[1]

    async def backlog(self) -> tuple[int, datetime | None]:
        pending = [r for r in self.rows if not r.published]
        return len(pending), (datetime.now(UTC) if pending else None)

    async def republish(self) -> int:
        published = [r for r in self.rows if r.published]
        for row in published:
            row.published = False
        return len(published)


class FlakyBroker:
    """Accepts messages, except that it refuses while `down` or for the payloads listed in `refuse`."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str | None, bytes]] = []
        self.down = False
        self.refuse: set[bytes] = set()

    async def publish(self, topic: str, key: str | None, payload: bytes) -> None:
        if self.down or payload in self.refuse:
            raise ConnectionError("broker unavailable")
        self.sent.append((topic, key, payload))


class FakeStore:
    """What a real store holds: processed ids, effects, dead letters, outbox — changed only on commit."""

    def __init__(self) -> None:
        self.processed: set[tuple[str, str]] = set()
        self.effects: list[str] = []
        self.dead: list[dict[str, object]] = []
        self.outbox: list[Event] = []
        self.commits = 0


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self._effects: list[str] = []
        self._processed: set[tuple[str, str]] = set()
        self._dead: list[dict[str, object]] = []
        self._events: list[Event] = []
        self._memo: dict[object, object] = {}

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._effects, self._processed, self._dead, self._events = [], set(), [], []
        self._memo = {}

    def memo(self, key: object, factory: Callable[[], object]) -> object:
        return self._memo.setdefault(key, factory())

    async def already_processed(self, consumer: str, event_id: str) -> bool:
        return (consumer, event_id) in self.store.processed

    async def lock_for_writing(self) -> None:
        return None

    async def processed_among(self, consumer: str, event_ids: list[str]) -> set[str]:
        return {e for e in event_ids if (consumer, e) in self.store.processed}

    async def claim(self, consumer: str, event_ids: list[str]) -> set[str]:
        fresh = {e for e in event_ids if (consumer, e) not in self.store.processed | self._processed}
        self._processed |= {(consumer, e) for e in fresh}
        return fresh

    async def mark_processed(self, consumer: str, event_id: str) -> None:
        self._processed.add((consumer, event_id))

    async def mark_processed_many(self, keys: list[tuple[str, str]]) -> None:
        self._processed |= set(keys)

    async def record_dead_letter(self, **values: object) -> None:
        self._dead.append(values)

    def emit(self, event: Event, *, key: str | None, subject: str | None = None) -> None:
        self._events.append(event)

    def effect(self, what: str) -> None:
        self._effects.append(what)

    async def commit(self) -> None:
        self.store.commits += 1
        self.store.effects += self._effects
        self.store.processed |= self._processed
        self.store.dead += self._dead
        self.store.outbox += self._events
        self._effects, self._processed, self._dead, self._events = [], set(), [], []


def message(env: Envelope, offset: int = 0) -> RawMessage:
    return RawMessage("deadline.near", 0, offset, b"a1", env.to_bytes())


def event() -> Envelope:
    return wrap(
        DeadlineNear(assignment_id="a1", unit="11407", due=date(2027, 2, 28), days_left=3, offset_days=3),
        source="tasks",
        correlation_id="c",
    )


async def no_sleep(_: float) -> None:
    return None


FakeHandler = Callable[[FakeUnitOfWork, Envelope], Awaitable[None]]


def fake_uow_factory(store: FakeStore) -> UowFactory:
    # The platform's UnitOfWork is a concrete class with no protocol beside it; the fake has its methods.
    return cast(UowFactory, lambda: FakeUnitOfWork(store))


def processor(store: FakeStore, handler: FakeHandler, attempts: int = 3) -> MessageProcessor:
    return MessageProcessor(
        "notify.deadline.near",
        cast(Handler, handler),  # takes the fake unit of work, as above
        fake_uow_factory(store),
        max_attempts=attempts,
        sleep=no_sleep,
    )

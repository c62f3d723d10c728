"""The consumer's rules, on a fake unit of work: once per event, bounded retries, dead letters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import TracebackType

from sqlalchemy.exc import OperationalError

from dondoc.platform.consumer import MessageProcessor, Outcome, RawMessage
from shared.envelope import Envelope, wrap
from shared.events import DeadLetter, DeadlineNear, Event


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


def processor(store: FakeStore, handler: object, attempts: int = 3) -> MessageProcessor:
    return MessageProcessor(
        "notify.deadline.near",
        handler,
        lambda: FakeUnitOfWork(store),  # type: ignore[arg-type,return-value]
        max_attempts=attempts,
        sleep=no_sleep,
    )


async def test_an_event_delivered_twice_has_its_effect_once() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)

    p = processor(store, handler)
    env = event()
    assert await p.process(message(env)) is Outcome.OK
    assert await p.process(message(env, offset=1)) is Outcome.DUPLICATE
    assert store.effects == [env.id]


async def test_a_handler_that_fails_once_is_retried_and_its_effect_kept_once() -> None:
    store, calls = FakeStore(), []

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        calls.append(1)
        uow.effect("done")
        if len(calls) == 1:
            raise RuntimeError("transient bug")

    assert await processor(store, handler).process(message(event())) is Outcome.OK
    assert len(calls) == 2 and store.effects == ["done"]


async def test_a_handler_that_always_fails_is_dead_lettered_after_the_bounded_attempts() -> None:
    store, calls = FakeStore(), []

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        calls.append(1)
        uow.effect("never")
        raise ValueError("bad payload for this handler")

    assert await processor(store, handler, attempts=4).process(message(event())) is Outcome.DEAD_LETTERED
    assert len(calls) == 4 and store.effects == []
    assert store.dead[0]["attempts"] == 4 and "bad payload" in str(store.dead[0]["error"])
    assert isinstance(store.outbox[0], DeadLetter) and store.outbox[0].original_topic == "deadline.near"
    assert store.processed == set()  # so an operator's replay is processed, not ignored


async def test_an_unreadable_message_is_dead_lettered_at_once() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        raise AssertionError("never called")

    raw = RawMessage("deadline.near", 2, 7, None, b"\xff{not json")
    assert await processor(store, handler).process(raw) is Outcome.DEAD_LETTERED
    assert store.dead[0]["attempts"] == 1 and store.dead[0]["partition"] == 2 and store.dead[0]["offset"] == 7


async def test_an_unavailable_store_is_not_the_messages_fault_it_is_retried_later_not_dead_lettered() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database down"))

    assert await processor(store, handler).process(message(event())) is Outcome.RETRY_LATER
    assert store.dead == [] and store.processed == set()

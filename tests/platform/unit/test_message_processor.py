"""The consumer's rules, on a fake unit of work: once per event, bounded retries, dead letters."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from dondoc.platform.consumer import Outcome, RawMessage
from shared.envelope import Envelope
from shared.events import DeadLetter
from tests.support.platform_fakes import FakeStore, FakeUnitOfWork, event, message, processor


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

"""A batch of events in one transaction: each takes effect once, and a poison event is set apart alone."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from dondoc.platform.batch import BatchProcessor
from dondoc.platform.consumer import Outcome, RawMessage
from shared.envelope import Envelope
from tests.support.platform_fakes import (
    FakeHandler,
    FakeStore,
    FakeUnitOfWork,
    event,
    fake_uow_factory,
    message,
    processor,
)


def batch_processor(store: FakeStore, handler: FakeHandler) -> BatchProcessor:
    return BatchProcessor({"deadline.near": processor(store, handler)}, fake_uow_factory(store))


def batch(envelopes: list[Envelope]) -> list[RawMessage]:
    return [message(env, offset=i) for i, env in enumerate(envelopes)]


async def test_a_batch_takes_effect_in_one_transaction_with_one_inbox_row_per_event() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)

    events = [event() for _ in range(5)]
    assert await batch_processor(store, handler).process(batch(events)) == [Outcome.OK] * 5
    assert store.commits == 1
    assert store.effects == [e.id for e in events]
    assert store.processed == {("notify.deadline.near", e.id) for e in events}


async def test_an_event_seen_before_or_twice_in_the_same_batch_has_its_effect_once() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)

    old, new = event(), event()
    processing = batch_processor(store, handler)
    await processing.process(batch([old]))
    outcomes = await processing.process(batch([old, new, new]))
    assert outcomes == [Outcome.DUPLICATE, Outcome.OK, Outcome.DUPLICATE]
    assert store.effects == [old.id, new.id]


async def test_a_poison_event_is_dead_lettered_alone_and_the_rest_of_its_batch_takes_effect() -> None:
    store = FakeStore()
    events = [event() for _ in range(4)]
    poison = events[2].id

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)
        if env.id == poison:
            raise ValueError("this one can never be handled")

    outcomes = await batch_processor(store, handler).process(batch(events))
    assert outcomes == [Outcome.OK, Outcome.OK, Outcome.DEAD_LETTERED, Outcome.OK]
    assert store.effects == [e.id for e in events if e.id != poison]
    assert [d["offset"] for d in store.dead] == [2]
    assert ("notify.deadline.near", poison) not in store.processed


async def test_an_unreadable_message_in_a_batch_is_dead_lettered_and_the_others_take_effect() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)

    good = event()
    raws = [RawMessage("deadline.near", 0, 0, None, b"{not json"), message(good, offset=1)]
    outcomes = await batch_processor(store, handler).process(raws)
    assert outcomes == [Outcome.DEAD_LETTERED, Outcome.OK]
    assert store.effects == [good.id]


async def test_an_unavailable_store_sends_the_whole_batch_back_with_nothing_kept() -> None:
    store = FakeStore()

    async def handler(uow: FakeUnitOfWork, env: Envelope) -> None:
        uow.effect(env.id)
        raise OperationalError("INSERT", {}, ConnectionRefusedError("database down"))

    outcomes = await batch_processor(store, handler).process(batch([event(), event()]))
    assert outcomes == [Outcome.RETRY_LATER] * 2
    assert store.effects == [] and store.processed == set() and store.dead == []

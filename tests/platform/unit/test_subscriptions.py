"""Consumers keyed by event class: the platform reads the payload, a use case gets a typed event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from dondoc.platform.batch import BatchProcessor
from dondoc.platform.consumer import Handler, MessageProcessor, Outcome, RawMessage
from dondoc.platform.subscriptions import Received, Subscriptions, current_event
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope
from shared.events import DeadlineNear, TaskOverdue
from tests.support.platform_fakes import FakeStore, FakeUnitOfWork, event, message, no_sleep


@dataclass
class Ctx:
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    prefetched: list[list[str]] = field(default_factory=list)
    before: int = 0


async def on_deadline_near(uow: UnitOfWork, event: DeadlineNear, ctx: Ctx) -> None:
    ctx.seen.append((event.assignment_id, current_event().id, current_event().time.tzname() or ""))


async def prefetch(uow: UnitOfWork, events: Sequence[Received[DeadlineNear]], ctx: Ctx) -> None:
    ctx.prefetched.append([f"{r.facts.id}:{r.event.unit}" for r in events])


async def count_before(uow: UnitOfWork, ctx: Ctx) -> None:
    ctx.before += 1


def processor(handler: Handler, store: FakeStore) -> MessageProcessor:
    return MessageProcessor(
        "notify.deadline.near",
        handler,
        lambda: FakeUnitOfWork(store),  # type: ignore[arg-type,return-value]  # the fake stands for the store
        sleep=no_sleep,
    )


async def test_a_handler_gets_the_typed_event_its_context_and_the_envelopes_facts() -> None:
    ctx, store = Ctx(), FakeStore()
    handlers = Subscriptions[Ctx](before=[count_before]).on(DeadlineNear, on_deadline_near).bind(ctx)
    env = event()
    assert await processor(handlers["deadline.near"], store).process(message(env)) is Outcome.OK
    assert ctx.seen == [("a1", env.id, "UTC")] and ctx.before == 1
    with pytest.raises(LookupError):
        current_event()  # bound only while the handler runs


async def test_a_payload_that_does_not_read_as_its_class_is_dead_lettered_at_once() -> None:
    ctx, store = Ctx(), FakeStore()
    handlers = Subscriptions[Ctx]().on(DeadlineNear, on_deadline_near).bind(ctx)
    broken = event().model_copy(update={"data": {"assignment_id": "a1"}})  # unit, due… missing
    outcome = await processor(handlers["deadline.near"], store).process(message(broken))
    assert outcome is Outcome.DEAD_LETTERED and ctx.seen == []
    assert store.dead[0]["attempts"] == 1 and "not a valid DeadlineNear" in str(store.dead[0]["error"])


async def test_a_batch_is_prefetched_with_typed_events_then_each_handled_once() -> None:
    ctx, store = Ctx(), FakeStore()
    subscriptions = Subscriptions[Ctx](before=[count_before]).on(
        DeadlineNear, on_deadline_near, prefetch=prefetch
    )
    handlers = subscriptions.bind(ctx)
    envelopes = [event() for _ in range(3)]
    batch = BatchProcessor(
        {"deadline.near": processor(handlers["deadline.near"], store)},
        lambda: FakeUnitOfWork(store),  # type: ignore[arg-type,return-value]  # the fake stands for the store
    )
    raws = [message(env, offset=i) for i, env in enumerate(envelopes)]
    assert await batch.process(raws) == [Outcome.OK] * 3
    assert ctx.prefetched == [[f"{e.id}:11407" for e in envelopes]]
    assert [s[1] for s in ctx.seen] == [e.id for e in envelopes]
    assert ctx.before == 1  # once per unit of work: the batch's first event ran it for all three
    assert store.commits == 1


async def test_a_poison_payload_in_a_batch_is_set_apart_and_the_rest_take_effect() -> None:
    ctx, store = Ctx(), FakeStore()
    handlers = Subscriptions[Ctx]().on(DeadlineNear, on_deadline_near, prefetch=prefetch).bind(ctx)
    good: list[Envelope] = [event(), event()]
    bad = event().model_copy(update={"data": {"unit": "11407"}})
    batch = BatchProcessor(
        {"deadline.near": processor(handlers["deadline.near"], store)},
        lambda: FakeUnitOfWork(store),  # type: ignore[arg-type,return-value]  # the fake stands for the store
    )
    raws: list[RawMessage] = [message(e, offset=i) for i, e in enumerate([good[0], bad, good[1]])]
    assert await batch.process(raws) == [Outcome.OK, Outcome.DEAD_LETTERED, Outcome.OK]
    assert [s[1] for s in ctx.seen][-2:] == [good[0].id, good[1].id]
    assert len(store.dead) == 1 and store.dead[0]["event_id"] == bad.id


def test_an_event_class_is_subscribed_once() -> None:
    async def on_overdue(uow: UnitOfWork, event: TaskOverdue, ctx: object) -> None:
        return None

    first = Subscriptions[object]().on(TaskOverdue, on_overdue)
    with pytest.raises(ValueError, match="TaskOverdue"):
        first.on(TaskOverdue, on_overdue)
    with pytest.raises(ValueError, match="TaskOverdue"):
        Subscriptions[object]().on(TaskOverdue, on_overdue).include(first)
    assert dict(first.events) == {"task.overdue": TaskOverdue}

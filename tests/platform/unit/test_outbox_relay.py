"""The outbox relay's rules, on fakes: order, at-least-once, and nothing lost while the broker is away."""

from __future__ import annotations

import asyncio
import logging

import pytest

from dondoc.platform.outbox import NotConnected, OutboxRelay
from tests.support.platform_fakes import FakeOutboxStore, FlakyBroker


async def test_rows_are_published_in_the_order_they_were_written() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    for i in range(5):
        store.add("task.assigned", f"unit-{i % 2}", f"m{i}".encode())
    relay = OutboxRelay(store, broker.publish, batch_size=10)
    assert await relay.run_once() == 5
    assert [p for _, _, p in broker.sent] == [b"m0", b"m1", b"m2", b"m3", b"m4"]
    assert all(r.published for r in store.rows)


async def test_nothing_is_marked_sent_while_the_broker_is_away_and_all_of_it_leaves_when_it_returns() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("plan.received", "p1", b"a")
    store.add("plan.received", "p1", b"b")
    broker.down = True
    relay = OutboxRelay(store, broker.publish)
    assert await relay.run_once() == 0
    assert not any(r.published for r in store.rows)
    assert store.rows[0].attempts == 1 and "broker unavailable" in str(store.rows[0].error)
    broker.down = False
    await relay.drain()
    assert [p for _, _, p in broker.sent] == [b"a", b"b"]


async def test_a_failed_row_stops_the_batch_so_later_rows_of_the_same_key_never_overtake_it() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    for payload in (b"first", b"second", b"third"):
        store.add("task.assigned", "11407", payload)
    broker.refuse = {b"second"}
    relay = OutboxRelay(store, broker.publish)
    assert await relay.run_once() == 1
    assert [p for _, _, p in broker.sent] == [b"first"]
    broker.refuse = set()
    await relay.run_once()
    assert [p for _, _, p in broker.sent] == [b"first", b"second", b"third"]


async def test_the_relay_counts_each_published_topic() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("a", None, b"1")
    store.add("b", None, b"2")
    seen: list[str] = []
    relay = OutboxRelay(store, broker.publish, on_published=seen.append)
    await relay.run_once()
    assert seen == ["a", "b"]


async def test_after_the_broker_forgot_every_row_is_published_again_in_order() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    for payload in (b"a", b"b"):
        store.add("task.assigned", "11407", payload)
    relay = OutboxRelay(store, broker.publish)
    await relay.drain()
    store.add("task.assigned", "11407", b"c")  # written while the broker was away
    relay.replay()
    await relay.drain()
    assert [p for _, _, p in broker.sent] == [b"a", b"b", b"a", b"b", b"c"]


async def test_nothing_enters_a_log_that_forgot_before_what_it_forgot_is_published_again() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("task.assigned", "11407", b"assigned")
    await OutboxRelay(store, broker.publish).drain()
    broker.sent.clear()  # the broker restarts empty
    store.add("task.status_changed", "11407", b"accepted")
    looks: list[bool] = []

    async def confirm() -> bool:
        looks.append(True)
        if len(looks) == 1:  # the first look finds the marker changed and tells the relay
            relay.replay()
            return False
        return True

    relay = OutboxRelay(store, broker.publish, confirm=confirm)
    await relay.drain()
    assert [p for _, _, p in broker.sent] == [b"assigned", b"accepted"]  # per-key order holds


async def test_a_broker_that_cannot_be_asked_which_it_is_is_not_published_to() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("plan.received", "p1", b"a")

    async def confirm() -> bool:
        raise ConnectionError("broker unavailable")

    relay = OutboxRelay(store, broker.publish, confirm=confirm)
    assert await relay.run_once() == 0
    assert broker.sent == [] and store.rows[0].attempts == 1


async def test_a_commit_that_lands_while_a_round_is_in_flight_leaves_without_waiting_for_the_poll() -> None:
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("plan.received", "p1", b"first")
    both_sent = asyncio.Event()

    async def publish(topic: str, key: str | None, payload: bytes) -> None:
        await broker.publish(topic, key, payload)
        if payload == b"first":  # a commit lands after the round read its rows, and wakes the relay
            store.add("task.assigned", "11407", b"second")
            relay.wake()
        else:
            both_sent.set()

    relay = OutboxRelay(store, publish, poll_seconds=3600)  # no poll would come to the rescue
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.wait_for(both_sent.wait(), timeout=60)  # a guard against hanging, not a measure
    finally:
        relay.stop()
        await running
    assert [p for _, _, p in broker.sent] == [b"first", b"second"]


async def test_while_the_broker_refuses_commits_do_not_wake_the_relay_and_its_return_does() -> None:
    """Under a stream of requests with the broker away, each commit used to wake a round that failed again
    (a warning and an UPDATE each); the relay now backs off until the broker is connected again."""
    store, broker = FakeOutboxStore(), FlakyBroker()
    store.add("result.submitted", "11407", b"kept")
    broker.down = True
    tried, last_sent = asyncio.Event(), asyncio.Event()

    async def publish(topic: str, key: str | None, payload: bytes) -> None:
        tried.set()
        await broker.publish(topic, key, payload)
        if payload == b"r49":
            last_sent.set()

    relay = OutboxRelay(store, publish, poll_seconds=3600)  # no back-off ends by itself during the test
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.wait_for(tried.wait(), timeout=60)  # a guard against hanging, not a measure
        for i in range(50):  # fifty requests commit while the broker is away
            store.add("result.submitted", "11407", f"r{i}".encode())
            relay.wake()
            await asyncio.sleep(0)
        assert store.rows[0].attempts == 1, "a commit woke a round the broker would refuse again"
        broker.down = False
        relay.resume()  # the runtime's call once its producer is connected
        await asyncio.wait_for(last_sent.wait(), timeout=60)
    finally:
        relay.stop()
        await running
    assert [p for _, _, p in broker.sent] == [b"kept", *(f"r{i}".encode() for i in range(50))]


async def test_a_service_still_connecting_is_no_warning_but_a_broker_gone_away_is(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FakeOutboxStore()
    store.add("directory.published", None, b"directory")

    async def connecting(topic: str, key: str | None, payload: bytes) -> None:
        raise NotConnected("broker not connected yet")

    async def gone(topic: str, key: str | None, payload: bytes) -> None:
        raise ConnectionError("broker unavailable")

    caplog.set_level(logging.INFO, logger="dondoc.platform.outbox")
    for publish in (connecting, gone):
        assert await OutboxRelay(store, publish).run_once() == 0
    levels = [r.levelno for r in caplog.records if r.getMessage() == "outbox publish failed"]
    assert levels == [logging.INFO, logging.WARNING]
    assert store.rows[0].attempts == 2 and not store.rows[0].published

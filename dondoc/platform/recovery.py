"""Recovering consumers from a broker that restarted empty (Tansu keeps its log in memory only).

Such a broker has forgotten topics, messages and committed offsets, and starts every partition again at
offset 0. A consumer still holding positions from the old log would skip the new messages below them.
The watcher notices the log going backwards (or topics missing), recreates the topics, restarts the
consumers and rewinds them to the beginning of the new log. Re-reading is harmless: the inbox absorbs
what was already processed, and the outbox re-publishes whatever could not be published meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker

from dondoc.platform import kafka

log = logging.getLogger(__name__)


def went_backwards(seen: dict[TopicPartition, int], ends: dict[TopicPartition, int]) -> bool:
    """True when a partition's end offset fell below one seen before; `seen` keeps the maxima since then."""
    backwards = any(ends.get(tp, 0) < offset for tp, offset in seen.items())
    if backwards:
        seen.clear()
    for tp, offset in ends.items():
        seen[tp] = max(seen.get(tp, 0), offset)
    return backwards


async def rewind_consumers(broker: KafkaBroker, timeout: float = 30.0) -> None:
    """Restart every subscriber and, once it has partitions again, read them from the beginning."""
    for subscriber in broker.subscribers:
        with contextlib.suppress(Exception):
            await subscriber.stop()
            await subscriber.start()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for subscriber in broker.subscribers:
        consumer: AIOKafkaConsumer | None = getattr(subscriber, "consumer", None)
        # aiokafka offers no event for "partitions assigned"; poll briefly.
        while consumer is not None and not consumer.assignment() and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        if consumer is not None and consumer.assignment():
            await consumer.seek_to_beginning()


async def watch_broker(
    bootstrap: str,
    topics: list[str],
    all_topics: tuple[str, ...],
    partitions: int,
    broker: KafkaBroker,
    connected: Callable[[], bool],
    on_recovered: Callable[[], Awaitable[None] | None],
    every: float = 2.0,
) -> None:
    """Until cancelled: detect an emptied broker and recover the consumers (see the module docstring)."""
    seen: dict[TopicPartition, int] = {}
    probe: AIOKafkaConsumer | None = None
    try:
        while True:
            await asyncio.sleep(every)
            if not connected():
                continue
            try:
                created = await kafka.ensure_topics(bootstrap, all_topics, partitions, timeout=5.0)
                if probe is None:
                    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
                    await probe.start()
                await probe.topics()
                tps = [
                    TopicPartition(t, p) for t in topics for p in sorted(probe.partitions_for_topic(t) or ())
                ]
                ends = await probe.end_offsets(tps) if tps else {}
            except Exception:
                if probe is not None:
                    with contextlib.suppress(Exception):
                        await probe.stop()
                    probe = None
                continue  # the broker is away; the relay keeps the backlog
            if went_backwards(seen, ends) or (created and seen):
                log.warning(
                    "the broker restarted empty: rewinding consumers", extra={"created_topics": created}
                )
                await rewind_consumers(broker)
                result = on_recovered()
                if result is not None:
                    await result
    finally:
        if probe is not None:
            with contextlib.suppress(Exception):
                await probe.stop()

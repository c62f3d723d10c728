"""Recovering consumers from a broker that restarted empty (Tansu keeps its log in memory only).

Such a broker has forgotten topics, messages and committed offsets, and starts every partition again at
offset 0 (epoch.py notices it). A consumer still holding positions in the old log would skip whatever the new
log holds below them, and may even have committed such a position to the new broker before anyone noticed.
So every partition is read again from 0. Re-reading is harmless: the inbox absorbs what was processed
already, and every service publishes its outbox again into the new log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import IllegalStateError

log = logging.getLogger(__name__)


class Rewinder(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka ships no types: its base is Any
    """Seeks a consumer's partitions to the start of a new log, and keeps doing so until that holds.

    After `new_log()` each partition is sought to 0 — at once if it is assigned, else when it is assigned.
    The group's committed offset for it is not trusted until a commit made after that seek has replaced it
    (aiokafka commits the consumer's positions, which the seek set); a rebalance before that seeks again, so
    a stale offset committed into the new broker is never resumed from. A broker that never forgets never
    calls `new_log()`, and then this listener does nothing.
    """

    def __init__(self) -> None:
        self.consumer: Callable[[], AIOKafkaConsumer | None] = lambda: None
        self._rewinding = False
        self._settled: set[TopicPartition] = set()  # re-read and committed since the new log began
        self._sought: set[TopicPartition] = set()  # sought to 0, not yet committed

    def new_log(self) -> None:
        """The broker began its log afresh: read every partition again from its start."""
        self._rewinding = True
        self._settled.clear()
        self._sought.clear()
        consumer = self.consumer()
        if consumer is not None:
            self._seek(consumer, consumer.assignment())

    def committed(self) -> None:
        """A commit of the consumer's positions succeeded: what was sought is now the group's offset."""
        self._settled |= self._sought
        self._sought.clear()

    def sought_back(self, partition: TopicPartition) -> None:
        """A message was handed back (seek to its own offset); a partition not yet settled goes to 0 again.

        The message may be one fetched from the old position before the rewind, and seeking back to it
        would undo the rewind.
        """
        consumer = self.consumer()
        if consumer is not None and partition in self._sought:
            self._seek(consumer, [partition])

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        self._sought -= set(revoked)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        consumer = self.consumer()
        if self._rewinding and consumer is not None:
            self._seek(consumer, set(assigned) - self._settled)

    def _seek(self, consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition]) -> None:
        sought = []
        for tp in partitions:
            try:
                # Offset 0, not seek_to_beginning: it takes effect at once, and a log the broker began
                # afresh starts there (a log whose start moved falls back to the group's "earliest").
                consumer.seek(tp, 0)
            except IllegalStateError:
                continue  # no longer assigned: sought when assigned again
            self._sought.add(tp)
            sought.append(f"{tp.topic}:{tp.partition}")
        if sought:
            log.info("rewound to the start of the new log", extra={"partitions": sorted(sought)})


async def watch_broker(
    confirm: Callable[[], Awaitable[bool]],
    connected: Callable[[], bool],
    every: float = 2.0,
) -> None:
    """Until cancelled, ask whether the broker is still the same one (a service that publishes nothing and
    consumes nothing for a while still learns of a restart, and its consumers are rewound)."""
    while True:
        await asyncio.sleep(every)
        if not connected():
            continue
        try:
            await confirm()
        except Exception as exc:  # the broker is away; the relay keeps the backlog
            log.info("broker epoch unknown", extra={"error": f"{type(exc).__name__}: {exc}"})

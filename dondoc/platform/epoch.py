"""Noticing a broker that restarted empty: which incarnation of the broker a service is talking to.

Tansu with memory storage forgets every topic, message and committed offset when it restarts. The services'
stores are the record and the broker only transport, so when that happens each service publishes its outbox
again and its consumers read the new log from its start (outbox.py, recovery.py). This module notices it.

The epoch is the first record of a one-partition marker topic: a random id written by whichever service
first finds the topic missing or empty. A broker that keeps its log never reuses an offset, and the topic
keeps its records forever, so the record at offset 0 is the same for the broker's whole life; a broker
started afresh has none until some service writes a new one. Real Apache Kafka never forgets, so there the
marker never changes and no recovery runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from dondoc.platform import kafka

log = logging.getLogger(__name__)

EPOCH_TOPIC = "dondoc.broker-epoch"
KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1"}
_MARKER = TopicPartition(EPOCH_TOPIC, 0)


def shortfall(published: Mapping[str, int], ends: Mapping[str, int]) -> list[str]:
    """Topics whose log holds fewer messages than this service alone has published into them.

    Each message takes one offset and a broker that keeps its log never lowers an end offset, so on such a
    broker this list is empty. It is how a service that was down while the broker restarted, and so never
    saw the marker change, learns that the broker forgot what it had published.
    """
    return sorted(topic for topic, count in published.items() if ends.get(topic, 0) < count)


class BrokerEpoch:
    """Tells whether the broker is still the one this service published into, and who to tell if not."""

    def __init__(
        self,
        bootstrap: str,
        topics: Sequence[str],
        partitions: int,
        published: Callable[[], Awaitable[Mapping[str, int]]],
        *,
        read_timeout: float = 2.0,
    ) -> None:
        self._bootstrap = bootstrap
        self._topics = topics
        self._partitions = partitions
        self._published = published
        self._read_timeout = read_timeout
        self._known: bytes | None = None
        self._counted = False  # whether the store's count has been compared with the broker's logs
        self._listeners: list[Callable[[], None]] = []
        self._lock = asyncio.Lock()
        self._probe: AIOKafkaConsumer | None = None

    def on_new_log(self, listener: Callable[[], None]) -> None:
        """Call `listener` once each time the broker is found to have started its log afresh."""
        self._listeners.append(listener)

    async def confirm(self) -> bool:
        """True if the broker is the one seen before; False once, when it is found to have forgotten.

        Raises when the broker cannot be asked: nobody should publish into it before it has been asked.
        """
        async with self._lock:
            try:
                marker = await self._marker()
                forgot = self._known is not None and marker != self._known
                if not forgot and not self._counted:  # once per process: it may have missed a marker
                    forgot = await self._lost_while_away()
                if forgot:  # the topics first, so that nobody publishes or subscribes into nothing
                    await kafka.ensure_topics(self._bootstrap, self._topics, self._partitions, timeout=5.0)
            except Exception:
                await self.close()  # a fresh client next time: this one may hold a dead broker's metadata
                raise
            self._known = marker
            self._counted = self._counted or forgot
            if forgot:
                log.warning("the broker restarted empty: publishing the outbox again, rewinding consumers")
                for listener in self._listeners:
                    listener()
            return not forgot

    async def close(self) -> None:
        if self._probe is not None:
            probe, self._probe = self._probe, None
            await kafka.stop_quietly(probe)

    async def _marker(self) -> bytes:
        first = await self._read_first()
        if first is None:
            await self.close()  # its metadata may predate the topic, or belong to a broker now gone
            await kafka.ensure_topics(self._bootstrap, [EPOCH_TOPIC], 1, configs=KEEP_FOREVER, timeout=5.0)
            # Several services may write at once, or write after a slow read: only offset 0 counts.
            await self._write(uuid.uuid4().hex.encode())
            first = await self._read_first()
        if first is None:
            raise RuntimeError("the broker's epoch marker cannot be read")
        offset, value = first
        if offset > 0 and self._known is not None:
            # A log started afresh begins at 0; one whose start moved (someone set a retention on the
            # marker topic) is the same broker, and taking its new first record would replay for nothing.
            return self._known
        return value

    async def _write(self, marker: bytes) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self._bootstrap, acks="all", request_timeout_ms=5000)
        try:
            await producer.start()
            await producer.send_and_wait(EPOCH_TOPIC, marker, partition=0)
        finally:
            with contextlib.suppress(Exception):  # keep the error that matters, if any
                await producer.stop()

    async def _read_first(self) -> tuple[int, bytes] | None:
        probe = await self._started_probe()
        if probe.partitions_for_topic(EPOCH_TOPIC) is None:
            return None  # not in the metadata the probe started with: missing, or created since
        probe.seek(_MARKER, 0)
        probe.resume(_MARKER)
        try:
            batch = await probe.getmany(_MARKER, timeout_ms=int(self._read_timeout * 1000), max_records=1)
        finally:
            probe.pause(_MARKER)  # no fetching in the background between looks
        records = batch.get(_MARKER, [])
        return (records[0].offset, records[0].value or b"") if records else None

    async def _lost_while_away(self) -> bool:
        """Whether the broker holds less than this service published; unknown (False) while the store is
        away, so that consumers need not wait for the store to start, and asked again next time."""
        try:
            published = await self._published()
        except Exception as exc:
            log.warning("outbox count unavailable", extra={"error": str(exc)})
            return False
        if published:
            # Its own consumer: the probe's metadata covers only the marker once it is assigned.
            counter = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False)
            try:
                await counter.start()
                partitions = [
                    TopicPartition(topic, p)
                    for topic in published
                    for p in counter.partitions_for_topic(topic) or ()
                ]
                ends: dict[str, int] = {}
                for tp, end in (await kafka.log_ends(counter, partitions, self._read_timeout)).items():
                    ends[tp.topic] = ends.get(tp.topic, 0) + end
            finally:
                await kafka.stop_quietly(counter)
            lost = shortfall(published, ends)
            if lost:
                log.warning("the broker holds less than this service published", extra={"topics": lost})
                return True
        self._counted = True
        return False

    async def _started_probe(self) -> AIOKafkaConsumer:
        if self._probe is None:
            probe = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                fetch_max_wait_ms=100,
            )
            try:
                await probe.start()
            except Exception:
                await kafka.stop_quietly(probe)
                raise
            probe.assign([_MARKER])
            probe.pause(_MARKER)
            self._probe = probe
        return self._probe

"""Kafka wiring: the FastStream broker, topic creation, and binding processors to subscribers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Iterable, Mapping, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.prometheus import KafkaPrometheusMiddleware

from dondoc.platform.batch import BatchProcessor
from dondoc.platform.consumer import MessageProcessor, Outcome, RawMessage, UowFactory
from dondoc.platform.metrics import ServiceMetrics, observe_many
from dondoc.platform.recovery import Rewinder
from dondoc.platform.settings import ServiceSettings
from shared.envelope import CONTENT_TYPE

log = logging.getLogger(__name__)


def build_broker(settings: ServiceSettings, metrics: ServiceMetrics) -> KafkaBroker:
    """A FastStream Kafka broker; not connected until started."""
    return KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"dondoc-{settings.service_name}",
        acks="all",
        enable_idempotence=False,  # Tansu has no idempotent producer; the inbox makes redelivery harmless
        graceful_timeout=settings.shutdown_grace_seconds,
        middlewares=[KafkaPrometheusMiddleware(registry=metrics.registry, app_name=settings.service_name)],
        logger=logging.getLogger(f"dondoc.{settings.service_name}.kafka"),
    )


async def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int,
    timeout: float = 30.0,
    configs: Mapping[str, str] | None = None,
) -> list[str]:
    """Create the topics that do not exist yet (brokers here do not auto-create them); return the new ones."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        settings = dict(configs or {})
        missing = [NewTopic(t, partitions, 1, topic_configs=settings) for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process created them meanwhile
                await admin.create_topics(missing)
        return [t.name for t in missing]
    finally:
        await admin.close()


async def _undecoded(_message: object) -> None:
    """The batch's body as FastStream would decode it: not needed, BatchProcessor reads the raw records.

    FastStream's default decoder parses every record of a batch into a message of its own and JSON-decodes
    its body, which cost more than the rest of the consumer's per-event work together.
    """
    return None


def bind_processors(
    broker: KafkaBroker,
    group_id: str,
    processors: Mapping[str, MessageProcessor],
    settings: ServiceSettings,
    metrics: ServiceMetrics,
    uow: UowFactory,
    rewinder: Rewinder | None = None,
) -> None:
    """One consumer group per service over all its topics; offsets are committed only after the DB commit.

    Messages come in batches (what one fetch returned, up to `consumer_batch_size`), handled in one
    transaction by BatchProcessor; the batch's offsets are committed after that transaction committed.
    """
    if not processors:
        return
    listener = rewinder or Rewinder()
    batches = BatchProcessor(processors, uow)

    # One group (one join) per service rather than one per topic: joining a group costs the broker's
    # rebalance delay, and a service's topics are few.
    subscriber = broker.subscriber(
        *processors,
        group_id=group_id,
        batch=True,
        max_records=settings.consumer_batch_size,
        batch_timeout_ms=settings.kafka_fetch_max_wait_ms,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",  # a new group starts from the beginning: nothing published is missed
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
        title=f"{group_id}",
        listener=listener,
        decoder=_undecoded,
    )
    listener.consumer = lambda: getattr(subscriber, "consumer", None)

    @subscriber
    async def on_batch(message: KafkaMessage) -> None:
        records = message.raw_message
        if not isinstance(records, tuple) or not records:
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        outcomes = await batches.process(
            [RawMessage(r.topic, r.partition, r.offset, r.key, r.value or b"") for r in records]
        )
        each = (loop.time() - started) / len(records)
        tally = Counter(zip([r.topic for r in records], outcomes, strict=True))
        for topic, n in Counter(r.topic for r in records).items():
            observe_many(metrics.handler_latency.labels(topic), each, n)
        for (topic, outcome), n in tally.items():
            metrics.events_consumed.labels(topic, outcome.value).inc(n)
            if outcome is Outcome.DEAD_LETTERED:
                metrics.dead_letters.labels(topic).inc(n)
        if Outcome.RETRY_LATER in outcomes:
            # Seek every partition of the batch back to its first record, commit nothing: the whole batch
            # comes again, and what did take effect meanwhile is a duplicate the inbox absorbs.
            await message.nack()
            for partition in {TopicPartition(r.topic, r.partition) for r in records}:
                listener.sought_back(partition)
            await asyncio.sleep(settings.consumer_retry_base_seconds * 5)
            return
        await message.ack()
        listener.committed()


# The header the consumers read a record's format from (FastStream's parser, the inbox's decoding).
_HEADERS = [("content-type", CONTENT_TYPE.encode("ascii"))]


def build_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """The outbox relay's own producer, with the broker's delivery settings; not connected until started.

    The relay sends through aiokafka directly rather than `broker.publish`: FastStream's per-message path
    (a command object, its middlewares and metrics, a header dict) cost about 60 µs per row, three quarters
    of the relay's CPU (ADR 0115). Larger batches let a lease travel in fewer requests.
    """
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=f"dondoc-{settings.service_name}-relay",
        acks="all",
        enable_idempotence=False,  # Tansu has no idempotent producer; the inbox makes redelivery harmless
        linger_ms=settings.outbox_linger_ms,
        max_batch_size=settings.outbox_max_batch_bytes,
    )


async def send(producer: AIOKafkaProducer, topic: str, key: str | None, payload: bytes) -> Awaitable[object]:
    """Hand one outbox row to the producer; returns the broker's acknowledgement, still to be awaited.

    The producer keeps each partition's records in the order they were handed over (one request in flight
    per partition), which is what keeps a key's events in order.
    """
    acknowledgement: Awaitable[object] = await producer.send(
        topic, payload, key=key.encode("utf-8") if key else None, headers=_HEADERS
    )
    return acknowledgement


async def start_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """A started relay producer; one that failed to start is closed again (a new one is built next try)."""
    producer = build_producer(settings)
    try:
        await producer.start()
    except BaseException:
        with contextlib.suppress(Exception):
            await producer.stop()
        raise
    return producer


async def log_ends(
    consumer: AIOKafkaConsumer, partitions: Sequence[TopicPartition], read_timeout: float
) -> dict[TopicPartition, int]:
    """Each partition's end: one past the offset of its last record, read from the log itself.

    The end offset a broker reports is trusted only as a lower bound: Tansu answers one past the *base*
    offset of the last record batch, so a batch of five records from a pipelined relay reads as one. The
    last batch is fetched from that offset and its last record gives the real end; on Apache Kafka the two
    agree and the fetch costs one small read per partition, once per start-up.
    """
    if not partitions:
        return {}
    reported = await consumer.end_offsets(list(partitions))
    ends = dict(reported)
    tail = [tp for tp, end in reported.items() if end > 0]
    if not tail:
        return ends
    consumer.assign(tail)
    for tp in tail:
        consumer.seek(tp, reported[tp] - 1)
    pending = set(tail)
    deadline = asyncio.get_running_loop().time() + read_timeout
    while pending and asyncio.get_running_loop().time() < deadline:
        batch = await consumer.getmany(*pending, timeout_ms=int(read_timeout * 1000))
        for tp, records in batch.items():
            if records:
                ends[tp] = max(ends[tp], records[-1].offset + 1)
                pending.discard(tp)
    return ends


async def stop_quietly(consumer: AIOKafkaConsumer) -> None:
    """Stop a consumer whatever state it is in; only a cancellation of the calling task itself goes on."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        # aiokafka's stop() cancels its own background tasks and may let their CancelledError out (one
        # that never started, or a fetch backing off from a dead broker): its Fetcher.close() awaits each
        # pending task it cancelled (aiokafka 0.14). That happens before stop() closes the client, so the
        # client is closed here, or its connection and its metadata task outlive the consumer (a broker
        # stopping then waits for that connection). Only a cancellation of this task itself goes on.
        await _close_client(consumer)
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
    except Exception as exc:
        log.debug("stopping a consumer failed", extra={"error": str(exc)})
        await _close_client(consumer)


async def _close_client(consumer: AIOKafkaConsumer) -> None:
    """Close a consumer's client whatever its stop() did (closing a closed client does nothing)."""
    client = getattr(consumer, "_client", None)  # aiokafka keeps it private; no public way to reach it
    if client is not None:
        with contextlib.suppress(Exception):
            await client.close()

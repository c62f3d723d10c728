"""The outbox relay's own aiokafka producer on a real Tansu: order per key, the header, the failure."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaConnectionError

from dondoc.platform import kafka, processes
from dondoc.platform.outbox import OutboxRelay
from dondoc.platform.settings import ServiceSettings
from shared.envelope import CONTENT_TYPE
from tests.support.platform_fakes import FakeOutboxStore

pytestmark = pytest.mark.integration

TOPIC = "task.assigned"


async def read_back(bootstrap: str, expect: int) -> list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]:
    """Every record of the topic, each partition in its log's order: (key, value, headers)."""
    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []
    try:
        deadline = time.monotonic() + 30
        while len(found) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                found.extend((r.key, r.value or b"", list(r.headers)) for r in records)
    finally:
        await consumer.stop()
    return found


async def test_rows_leave_through_the_relay_producer_in_order_per_key_with_the_consumers_header(
    broker: str,
) -> None:
    store = FakeOutboxStore()
    for i in range(1200):  # several leases, each in a few large batches per partition
        store.add(TOPIC, f"unit-{i % 7}", f"{i:05d}".encode() + b"x" * 400)
    producer = await kafka.start_producer(ServiceSettings(kafka_bootstrap=broker))
    try:
        published = []
        relay = OutboxRelay(store, lambda t, k, p: kafka.send(producer, t, k, p), batch_size=500)
        while (n := await relay.run_once()) > 0:
            published.append(n)
    finally:
        await producer.stop()
    assert published == [500, 500, 200] and all(row.published for row in store.rows)
    records = await read_back(broker, 1200)
    assert len(records) == 1200
    by_key: dict[bytes | None, list[int]] = defaultdict(list)
    for key, value, headers in records:
        by_key[key].append(int(value[:5]))
        assert headers == [("content-type", CONTENT_TYPE.encode())]
    assert set(by_key) == {f"unit-{k}".encode() for k in range(7)}
    for key, sequence in by_key.items():
        assert sequence == sorted(sequence), f"{key!r} out of order"
        assert sequence == [i for i in range(1200) if f"unit-{i % 7}".encode() == key]


async def test_a_producer_that_cannot_reach_the_broker_raises_so_the_runtime_tries_again() -> None:
    nowhere = f"127.0.0.1:{processes.free_port()}"
    with pytest.raises(KafkaConnectionError):
        await kafka.start_producer(ServiceSettings(kafka_bootstrap=nowhere))

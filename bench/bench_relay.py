"""The outbox relay's CPU per published row, against a raw aiokafka send in the same run.

    .venv/bin/python bench/bench_relay.py [rows] [payload_bytes] [lease]

(`lease` 1 is intake's case: a request's one event, relayed in a round of its own.)

Tansu runs as a process; everything else runs in this one, and its CPU (`time.process_time()`, which the
machine's load skews little) is divided by the rows published. Each way publishes `rows` records of
`payload_bytes` over 3 partitions, keyed like task.assigned (one key per commune), in leases of 500 and
waits for every acknowledgement (acks=all):

- raw aiokafka: `AIOKafkaProducer.send()` per record with aiokafka's defaults, then the futures awaited;
  the floor any relay pays.
- relay, FastStream: the OutboxRelay (an in-memory store) publishing through `broker.publish(...,
  no_confirm=True)` with the broker's Prometheus middleware, as before ADR 0115.
- relay, aiokafka: the OutboxRelay through `kafka.send` on the relay's own producer (`build_producer`,
  the settings' batch size and linger), as now.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from dondoc.platform import kafka, processes
from dondoc.platform.metrics import ServiceMetrics
from dondoc.platform.outbox import Lease, OutboxRelay, PendingMessage
from dondoc.platform.settings import ServiceSettings
from shared.envelope import CONTENT_TYPE

TOPIC = "bench.relay"
LEASE = int(sys.argv[3]) if len(sys.argv) > 3 else 500
ROUNDS = 3


class MemoryStore:
    """The outbox as a list: a lease hands out the next rows, and the relay's marks are checked."""

    def __init__(self, rows: list[PendingMessage]) -> None:
        self._rows = rows
        self._next = 0
        self.published = 0

    @asynccontextmanager
    async def lease(self, limit: int) -> AsyncIterator[Lease]:
        lease = Lease(self._rows[self._next : self._next + limit])
        yield lease
        if lease.failure is not None or len(lease.published) != len(lease.messages):
            raise RuntimeError(f"lease not fully published: {lease.failure}")
        self._next += len(lease.published)
        self.published += len(lease.published)

    async def backlog(self) -> tuple[int, datetime | None]:
        return len(self._rows) - self._next, None

    async def republish(self) -> int:
        return 0


def rows(count: int, size: int) -> list[PendingMessage]:
    now = datetime.now(UTC)
    body = b'{"data":"' + b"x" * max(size - 12, 0) + b'"}'
    return [PendingMessage(i, f"e{i}", TOPIC, f"commune-{i % 2540}", body, now) for i in range(count)]


async def raw(producer: AIOKafkaProducer, messages: list[PendingMessage]) -> None:
    headers = [("content-type", CONTENT_TYPE.encode())]
    for start in range(0, len(messages), LEASE):
        futures = [
            await producer.send(m.topic, m.payload, key=m.key.encode() if m.key else None, headers=headers)
            for m in messages[start : start + LEASE]
        ]
        for future in futures:
            await future


async def relay(
    publish: Callable[[str, str | None, bytes], Awaitable[Awaitable[object]]], messages: list[PendingMessage]
) -> None:
    store = MemoryStore(messages)
    await OutboxRelay(store, publish, batch_size=LEASE).drain(max_rounds=len(messages) // LEASE + 2)
    if store.published != len(messages):
        raise RuntimeError(f"published {store.published} of {len(messages)}")


def broker_seconds(pid: int) -> float:
    """The broker process's CPU so far (user + system), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def cpu_per_row(
    ways: list[tuple[str, Callable[[list[PendingMessage]], Awaitable[None]]]], count: int, size: int, pid: int
) -> list[tuple[str, float, float]]:
    """Each way's median over the rounds of this process's and the broker's CPU per row, in µs.

    The ways take turns round by round: the broker's cost per request grows with what its log holds, so
    running one way's rounds after another's would charge the last way for the others' records.
    """
    ours: dict[str, list[float]] = {name: [] for name, _ in ways}
    theirs: dict[str, list[float]] = {name: [] for name, _ in ways}
    for _ in range(ROUNDS):
        for name, way in ways:
            messages = rows(count, size)
            began, broker_began = time.process_time(), broker_seconds(pid)
            await way(messages)
            ours[name].append((time.process_time() - began) / count * 1e6)
            theirs[name].append((broker_seconds(pid) - broker_began) / count * 1e6)
    return [(name, statistics.median(ours[name]), statistics.median(theirs[name])) for name, _ in ways]


async def main(count: int, size: int) -> None:
    broker_process = processes.start_broker(processes.free_port())
    pid = broker_process.process.pid
    started: list[AIOKafkaProducer] = []
    try:
        await kafka.ensure_topics(broker_process.bootstrap, [TOPIC], partitions=3)
        settings = ServiceSettings(service_name="bench", kafka_bootstrap=broker_process.bootstrap)
        small = settings.model_copy(update={"outbox_max_batch_bytes": 16384})  # aiokafka's default
        default_producer = AIOKafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap, acks="all", enable_idempotence=False
        )
        await default_producer.start()
        started.append(default_producer)
        relay_producer = await kafka.start_producer(settings)
        started.append(relay_producer)
        small_producer = await kafka.start_producer(small)
        started.append(small_producer)
        broker = kafka.build_broker(settings, ServiceMetrics("bench", "0", "bench"))
        await broker.start()

        async def through_faststream(topic: str, key: str | None, payload: bytes) -> Awaitable[object]:
            acknowledgement: Awaitable[object] = await broker.publish(
                payload,
                topic=topic,
                key=key.encode() if key else None,
                headers={"content-type": CONTENT_TYPE},
                no_confirm=True,
            )
            return acknowledgement

        def through(
            producer: AIOKafkaProducer,
        ) -> Callable[[str, str | None, bytes], Awaitable[Awaitable[object]]]:
            return lambda topic, key, payload: kafka.send(producer, topic, key, payload)

        batch = f"{settings.outbox_max_batch_bytes // 1024} KiB, linger {settings.outbox_linger_ms} ms"
        ways: list[tuple[str, Callable[[list[PendingMessage]], Awaitable[None]]]] = [
            ("raw aiokafka send, defaults (16 KiB)", lambda m: raw(default_producer, m)),
            (f"raw aiokafka send ({batch})", lambda m: raw(relay_producer, m)),
            ("relay via FastStream publish (before)", lambda m: relay(through_faststream, m)),
            ("relay via aiokafka (16 KiB)", lambda m: relay(through(small_producer), m)),
            (f"relay via aiokafka ({batch}) (now)", lambda m: relay(through(relay_producer), m)),
        ]
        try:
            for _name, way in ways:
                await way(rows(LEASE, size))  # warm: metadata, connections
            figures = await cpu_per_row(ways, count, size, pid)
        finally:
            await broker.stop()
    finally:
        for producer in started:
            await producer.stop()
        processes.stop_process(broker_process.process)
    load = os.getloadavg()
    print(
        f"{count} rows of {size} B, leases of {LEASE}, median of {ROUNDS}; load {load[0]:.2f} {load[1]:.2f}"
    )
    floor = figures[0][1]
    print(f"  {'':44} {'µs CPU/row':>10} {'× raw':>6} {'broker µs/row':>14}")
    for name, ours, theirs in figures:
        print(f"  {name:44} {ours:10.1f} {ours / floor:6.2f} {theirs:14.1f}")
    before, now = figures[2][1], figures[4][1]
    print(f"  the relay now: {before / now:.2f}× less CPU per row than through FastStream")


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 900
        )
    )

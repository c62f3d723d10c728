"""Events per second through a dondoc consumer (inbox + effect + commit + offset) against a raw aiokafka loop.

Both read the same number of messages from the same Tansu broker on this machine, in the same run:

    .venv/bin/python bench/bench_pipeline.py [messages] [sqlite|postgresql|both]

The dondoc consumer does what every service does: per event parse the envelope, check the inbox, run the
handler (one row written) and record the event id; per batch (what one fetch returned, up to 500) commit the
database transaction, then the offsets. The baseline reads the same batches, parses each envelope and commits
the offsets after each batch. The ratio says what "nothing lost, nothing doubled" costs.

A second baseline splits that cost in two: a hand-written durable loop (aiokafka, the same envelope parse,
then straight through the driver — `sqlite3` or psycopg — the same inbox claim and the same notification row
per event, one transaction and then one offset commit per batch; no framework, no retries, no dead letters,
no metrics). What it costs over the raw loop is the store's own work; what dondoc costs over it is the
consumer's machinery.

With PostgreSQL (127.0.0.1:5432, trust auth, a database made and dropped for the run) the consumer's CPU
does not count the server's: compare by throughput there.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import create_engine, func, select
from stores import database

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform import processes
from dondoc.platform.app import build_service_app
from dondoc.platform.db import sync_url
from dondoc.platform.kafka import ensure_topics
from dondoc.platform.runtime import Runtime, ServiceSpec
from dondoc.platform.uow import UnitOfWork
from services.notify import models
from services.notify.settings import NotifySettings
from services.notify.use_cases.recording import notification_id
from shared import topics
from shared.envelope import Envelope, wrap
from shared.events import TaskAssigned, Timeframe


def event(i: int) -> bytes:
    payload = TaskAssigned(
        assignment_id=f"a{i}",
        plan_id="p",
        plan_version=1,
        plan_title="Kế hoạch",
        task_ref="1",
        task_title="Nhiệm vụ",
        unit=f"u{i % 134}",
        unit_name="Đơn vị",
        role="chu_tri",
        timeframe=Timeframe(),
    )
    return wrap(payload, source="bench", correlation_id=str(uuid.uuid4())).to_bytes()


async def produce(bootstrap: str, topic: str, n: int) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, linger_ms=5, request_timeout_ms=120_000
    )
    await producer.start()
    try:
        for start in range(0, n, 1000):  # in chunks: a busy machine must not time the producer out
            chunk = range(start, min(start + 1000, n))
            await asyncio.gather(*[producer.send(topic, event(i), key=f"u{i % 134}".encode()) for i in chunk])
            await producer.flush()
    finally:
        await producer.stop()


def _consumer(bootstrap: str, topic: str, group: str) -> AIOKafkaConsumer:
    """A plain aiokafka consumer of `topic` in a new group, committing by hand."""
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{group}-{uuid.uuid4()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=50,
    )


async def _fetch(consumer: AIOKafkaConsumer, clocks: list[float]) -> dict[Any, list[Any]]:
    """What one fetch returned (up to 500 records). The clocks (wall, CPU) start at the first message, as
    the dondoc consumer's are."""
    batch: dict[Any, list[Any]] = await consumer.getmany(timeout_ms=500, max_records=500)
    if batch and not clocks:
        clocks.extend((time.perf_counter(), time.process_time()))
    return batch


async def raw_loop(bootstrap: str, topic: str, n: int) -> tuple[float, float]:
    consumer = _consumer(bootstrap, topic, "raw")
    await consumer.start()
    try:
        seen, clocks = 0, list[float]()
        while seen < n:
            for records in (await _fetch(consumer, clocks)).values():
                for record in records:
                    Envelope.from_bytes(record.value or b"")
                    seen += 1
            await consumer.commit()
        return time.perf_counter() - clocks[0], time.process_time() - clocks[1]
    finally:
        await consumer.stop()


_CLAIM = {  # the inbox's claim as dondoc words it (BulkWriter.claim_sql), here without SQLAlchemy
    "sqlite": "INSERT INTO processed_events (consumer, event_id, processed_at) SELECT ?1, value, ?3 "
    "FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING RETURNING event_id",
    "postgresql": "INSERT INTO processed_events (consumer, event_id, processed_at) "
    "SELECT %s, unnest(%s::text[]), %s ON CONFLICT DO NOTHING RETURNING event_id",
}
_COLUMNS = "id, source_event_id, kind, unit, channel, state, title, body, data, attempts, created_at"


def _notification(envelope: Envelope, kind: str) -> tuple[object, ...]:
    """The row the dondoc consumer's handler writes, as its driver gets it."""
    created = envelope.time if kind == "postgresql" else envelope.time.strftime("%Y-%m-%d %H:%M:%S.%f")
    data = json.dumps({})
    return (
        notification_id(envelope.id, "u", "inbox"),
        envelope.id,
        "bench",
        "u",
        "inbox",
        "sent",
        "t",
        "b",
        data,
        0,
        created,
    )


async def durable_loop(bootstrap: str, database_url: str, topic: str, n: int) -> tuple[float, float]:
    """The same durable work as the dondoc consumer, written by hand against aiokafka and the driver."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    engine = create_engine(sync_url(database_url))
    models.metadata.create_all(engine)  # notify's tables, indexes and inbox, as its migrations make them
    engine.dispose()
    consumer = _consumer(bootstrap, topic, "durable")
    lite = pg = None
    if kind == "sqlite":
        lite = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        lite.execute("PRAGMA journal_mode=WAL")
        lite.execute("PRAGMA synchronous=FULL")
    else:
        pg = await psycopg.AsyncConnection.connect(database_url)
    insert = f"INSERT INTO notifications ({_COLUMNS}) VALUES ({', '.join(['?'] * 11)})"
    copy = f"COPY notifications ({_COLUMNS}) FROM STDIN"
    await consumer.start()
    try:
        seen, clocks = 0, list[float]()
        while seen < n:
            batch = await _fetch(consumer, clocks)
            envelopes = [Envelope.from_bytes(r.value or b"") for records in batch.values() for r in records]
            if not envelopes:
                continue
            ids = [e.id for e in envelopes]
            if lite is not None:
                lite.execute("BEGIN")
                now = SYSTEM_CLOCK.now().strftime("%Y-%m-%d %H:%M:%S.%f")
                fresh = {row[0] for row in lite.execute(_CLAIM[kind], ("bench", json.dumps(ids), now))}
                lite.executemany(insert, [_notification(e, kind) for e in envelopes if e.id in fresh])
                lite.execute("COMMIT")
            elif pg is not None:
                async with pg.transaction(), pg.cursor() as cursor:
                    await cursor.execute(_CLAIM[kind], ("bench", ids, SYSTEM_CLOCK.now()))
                    fresh = {row[0] for row in await cursor.fetchall()}
                    async with cursor.copy(copy) as writing:
                        for e in envelopes:
                            if e.id in fresh:
                                await writing.write_row(_notification(e, kind))
            seen += len(envelopes)
            await consumer.commit()
        wall, used = time.perf_counter() - clocks[0], time.process_time() - clocks[1]
        if lite is not None:
            rows = lite.execute("SELECT count(*) FROM notifications").fetchone()[0]
        elif pg is not None:
            rows = (await (await pg.execute("SELECT count(*) FROM notifications")).fetchone() or [0])[0]
        assert rows == n, f"{rows} effect rows for {n} events"
        return wall, used
    finally:
        await consumer.stop()
        if lite is not None:
            lite.close()
        if pg is not None:
            await pg.close()


async def dondoc_consumer(bootstrap: str, database_url: str, n: int) -> tuple[float, float]:
    table = models.Notification.__table__  # type: ignore[attr-defined]

    async def handler(uow: UnitOfWork, envelope: Envelope) -> None:
        uow.insert(  # one row, the effect: written with the batch's other rows at its commit, as notify's are
            models.Notification,
            id=notification_id(envelope.id, "u", "inbox"),  # notify's own key for it
            source_event_id=envelope.id,
            kind="bench",
            unit="u",
            channel="inbox",
            state="sent",
            title="t",
            body="b",
            data={},
            attempts=0,
            created_at=envelope.time,
        )

    spec = ServiceSpec(
        f"notify-{database_url.split(':')[0]}",  # its consumer group: each store's run reads from the start
        models.metadata,
        models.PLATFORM,
        Path(models.__file__).parent / "migrations",
        {topics.TASK_ASSIGNED: handler},
    )
    settings = NotifySettings(
        kafka_bootstrap=bootstrap, database_url=database_url, kafka_fetch_max_wait_ms=50
    )
    app = build_service_app(spec, settings, None, title="bench")
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.runtime
        first: tuple[float, float, int] | None = None  # wall, CPU, count: the group joined, work began
        # Progress from the consumer's own counter (raised after each batch's commit and offsets): a
        # count(*) every few milliseconds would cost the process more CPU than the work it measures.
        handled = runtime.metrics.events_consumed.labels(topics.TASK_ASSIGNED, "ok")
        while True:
            done = int(handled._value.get())
            if done and first is None:
                first = (time.perf_counter(), time.process_time(), done)
            if done >= n and first is not None:
                scale = n / max(n - first[2], 1)
                wall, cpu = (time.perf_counter() - first[0]) * scale, (time.process_time() - first[1]) * scale
                async with runtime.engine.connect() as conn:
                    rows = int((await conn.execute(select(func.count()).select_from(table))).scalar_one())
                assert rows == n, f"{rows} effect rows for {n} events"
                return wall, cpu
            await asyncio.sleep(0.005)


async def main(n: int, stores: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        broker = processes.start_broker(processes.free_port())
        try:
            topics_used = [topics.TASK_ASSIGNED, "bench.raw"]
            await ensure_topics(broker.bootstrap, topics_used, partitions=3)
            await produce(broker.bootstrap, "bench.raw", n)
            await produce(broker.bootstrap, topics.TASK_ASSIGNED, n)
            load = os.getloadavg()[0]
            # As a started service does (Runtime.start, ADR 0106), the baseline keeps what this process
            # imported and built out of the cyclic collector's walks: a bare aiokafka program holds far
            # less, and the baseline must not pay for dondoc's modules.
            gc.freeze()
            try:
                raw, raw_cpu = await raw_loop(broker.bootstrap, "bench.raw", n)
            finally:
                gc.unfreeze()
            ours: dict[str, tuple[float, float]] = {}
            durable: dict[str, tuple[float, float]] = {}
            for kind in stores:  # each store's consumer group reads the same topic from its start
                with database(kind, Path(tmp), "pipeline") as url:
                    ours[kind] = await dondoc_consumer(broker.bootstrap, url, n)
                with database(kind, Path(tmp), "durable") as url:
                    durable[kind] = await durable_loop(broker.bootstrap, url, "bench.raw", n)
        finally:
            broker.stop()
    print(f"messages: {n} on Tansu (memory), 3 partitions; load average {load:.1f}")
    print(
        f"baseline raw aiokafka loop (batches of 500: read, parse, offset commit): {n / raw:8.0f} events/s, "
        f"CPU {raw_cpu * 1e6 / n:.1f} µs/event"
    )
    for kind, (wall, cpu) in ours.items():
        store = "SQLite" if kind == "sqlite" else "PostgreSQL (its server's CPU not counted)"
        print(
            f"dondoc consumer on {store} (inbox + effect per event, db commit + offset commit per batch): "
            f"{n / wall:8.0f} events/s, CPU {cpu * 1e6 / n:.1f} µs/event (timed from its first event, "
            "after the group join)"
        )
        print(f"  ratio dondoc / baseline throughput: {raw / wall:.2f} (goal ≥ 0.5)")
        # On a shared machine wall time swings with the load; CPU time per event does much less.
        print(f"  ratio by CPU time per event (baseline / dondoc): {raw_cpu / max(cpu, 1e-9):.2f}")
        by_hand, by_hand_cpu = durable[kind]
        driver = "sqlite3" if kind == "sqlite" else "psycopg"
        print(
            f"  the same durable work written by hand (aiokafka + {driver}"
            f", same claim and row, no framework): {n / by_hand:8.0f} events/s, CPU "
            f"{by_hand_cpu * 1e6 / n:.1f} µs/event; raw loop / it {raw / by_hand:.2f}, "
            f"dondoc / it {by_hand / wall:.2f}"
        )


if __name__ == "__main__":
    which = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
    stores = ["sqlite", "postgresql"] if which == "both" else [which]
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, stores))

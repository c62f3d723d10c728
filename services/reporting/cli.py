"""`dondoc rebuild reporting`: rebuild the read model from scratch by replaying the topics it is built from.

The projections are order-independent (see projections.py), so reading each topic from its beginning,
one after another, yields the same read model as live consumption did. Reviews, generated reports
and sessions are reporting's own record and are left as they are. Stop the service first: a live
consumer writing meanwhile would race the rebuild.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import delete
from sqlmodel import SQLModel

from dondoc.platform import migrations
from dondoc.platform.consumer import MessageProcessor, Outcome, RawMessage
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.kafka import log_ends, stop_quietly
from dondoc.platform.uow import UnitOfWork
from services.reporting.app import SPEC
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.models import (
    AssignmentView,
    DirectoryView,
    ExpectedReportView,
    PlanView,
    ReportView,
    ResultView,
)

log = logging.getLogger(__name__)
VIEWS: tuple[type[SQLModel], ...] = (
    PlanView,
    AssignmentView,
    ResultView,
    ReportView,
    ExpectedReportView,
    DirectoryView,
)


@dataclass
class RebuildOutcome:
    """How many events of each topic the rebuild applied, and how many it could not read."""

    applied: dict[str, int] = field(default_factory=dict)
    dead_lettered: int = 0


async def _read_topic(bootstrap: str, topic: str, fetch_max_wait_ms: int) -> list[RawMessage]:
    """Every message of a topic up to its end offsets as of now (no consumer group, nothing committed)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=fetch_max_wait_ms
    )
    await consumer.start()
    try:
        await consumer.topics()  # fills the metadata that partitions_for_topic reads
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        ends = await log_ends(consumer, partitions, read_timeout=5.0)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        found: list[RawMessage] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                found += [
                    RawMessage(topic, tp.partition, r.offset, r.key, r.value or b"")
                    for r in records
                    if r.offset < ends[tp]
                ]
        return found
    finally:
        await stop_quietly(consumer)


async def rebuild(
    database_url: str,
    bootstrap: str,
    *,
    topics: Sequence[str] | None = None,
    fetch_max_wait_ms: int = 100,
) -> RebuildOutcome:
    """Empty the read model of `database_url` and replay `topics` (all it is built from) into it."""
    await asyncio.to_thread(migrations.upgrade, SPEC.migrations, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    handlers = SUBSCRIPTIONS.bind(None)
    chosen = list(topics or handlers)
    outcome = RebuildOutcome()
    try:
        async with engine.begin() as conn:
            for view in VIEWS:
                await conn.execute(delete(view))
            consumers = [f"{SPEC.name}.{topic}" for topic in chosen]
            processed = SPEC.tables.processed
            await conn.execute(delete(processed).where(processed.c.consumer.in_(consumers)))
        for topic in chosen:
            processor = MessageProcessor(
                f"{SPEC.name}.{topic}",
                handlers[topic],
                lambda: UnitOfWork(sessions, SPEC.tables, SPEC.name),
            )
            for message in await _read_topic(bootstrap, topic, fetch_max_wait_ms):
                result = await processor.process(message)
                if result is Outcome.DEAD_LETTERED:
                    outcome.dead_lettered += 1
                elif result is Outcome.RETRY_LATER:
                    raise RuntimeError(f"the store became unavailable while replaying {topic}")
                else:
                    outcome.applied[topic] = outcome.applied.get(topic, 0) + 1
            log.info("replayed", extra={"topic": topic, "applied": outcome.applied.get(topic, 0)})
    finally:
        await engine.dispose()
    return outcome

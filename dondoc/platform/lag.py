"""Consumer lag per topic and partition, from the broker's end offsets and the group's committed offsets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from dondoc.platform.kafka import stop_quietly
from dondoc.platform.metrics import ServiceMetrics

log = logging.getLogger(__name__)


async def measure_lag(
    admin: AIOKafkaAdminClient, probe: AIOKafkaConsumer, group: str, topics: Iterable[str]
) -> dict[tuple[str, int], int]:
    """(topic, partition) → messages the group has not committed yet (all of them if it never committed)."""
    partitions = [
        TopicPartition(topic, p) for topic in topics for p in sorted(probe.partitions_for_topic(topic) or ())
    ]
    if not partitions:
        return {}
    ends = await probe.end_offsets(partitions)
    committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    lag: dict[tuple[str, int], int] = {}
    for tp in partitions:
        meta = committed.get(tp)
        position = meta.offset if meta is not None and meta.offset >= 0 else 0
        lag[(tp.topic, tp.partition)] = max(ends.get(tp, 0) - position, 0)
    return lag


async def watch_lag(
    bootstrap: str, group: str, topics: list[str], metrics: ServiceMetrics, every: float = 10.0
) -> None:
    """Refresh `dondoc_consumer_lag` until cancelled; a broker outage leaves the last figures in place."""
    if not topics:
        return
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        try:
            await admin.start()
            await probe.start()
            await probe.topics()  # loads partition metadata
            while True:
                for (topic, partition), behind in (await measure_lag(admin, probe, group, topics)).items():
                    metrics.consumer_lag.labels(topic, str(partition)).set(behind)
                await asyncio.sleep(every)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("consumer lag unavailable", extra={"error": str(exc)})
            await asyncio.sleep(every)
        finally:
            await stop_quietly(probe)  # a CancelledError out of aiokafka's stop() would end the watch
            with contextlib.suppress(Exception):
                await admin.close()

"""Consumer lag comes from the broker: end offsets minus what the group committed."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from dondoc.platform.lag import measure_lag
from shared import topics
from tests.support import publish_raw

pytestmark = pytest.mark.integration


async def test_lag_counts_what_a_group_has_not_committed(broker: str) -> None:
    for i in range(5):
        await publish_raw(broker, topics.REPORT_DUE, f"m{i}".encode(), key=f"k{i}".encode())
    admin = AIOKafkaAdminClient(bootstrap_servers=broker)
    probe = AIOKafkaConsumer(bootstrap_servers=broker, enable_auto_commit=False)
    await admin.start()
    await probe.start()
    try:
        await probe.topics()
        before = await measure_lag(admin, probe, "never-consumed", [topics.REPORT_DUE])
        assert sum(before.values()) == 5 and len(before) == 3

        reader = AIOKafkaConsumer(
            topics.REPORT_DUE,
            bootstrap_servers=broker,
            group_id="reader",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
        )
        await reader.start()
        try:
            seen = 0
            while seen < 3:
                batch = await reader.getmany(timeout_ms=500, max_records=1)
                seen += sum(len(v) for v in batch.values())
            await reader.commit()
        finally:
            await reader.stop()
        after = await measure_lag(admin, probe, "reader", [topics.REPORT_DUE])
        assert sum(after.values()) == 5 - seen
    finally:
        await probe.stop()
        await admin.close()

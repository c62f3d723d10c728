"""`observe_many` leaves a histogram as `observe` called that many times would."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Histogram

from dondoc.platform.metrics import LATENCY_BUCKETS, observe_many


def samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for metric in registry.collect()
        for s in metric.samples
        if not s.name.endswith("_created")
    }


def test_observing_many_at_once_equals_observing_each() -> None:
    once, each = CollectorRegistry(), CollectorRegistry()
    by_batch = Histogram("h", "h", ["topic"], buckets=LATENCY_BUCKETS, registry=once)
    by_event = Histogram("h", "h", ["topic"], buckets=LATENCY_BUCKETS, registry=each)
    for amount, count in [(0.003, 500), (0.07, 3), (0.07, 1), (42.0, 2), (0.01, 0)]:
        observe_many(by_batch.labels("t"), amount, count)
        for _ in range(count):
            by_event.labels("t").observe(amount)
    assert samples(once) == pytest.approx(samples(each))  # the sum: one product against many additions
    assert samples(once)[("h_count", (("topic", "t"),))] == 506

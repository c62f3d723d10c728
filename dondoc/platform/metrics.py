"""Prometheus metrics every service exports, on one registry per app (shared with FastStream's middleware)."""

from __future__ import annotations

from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """The platform's metrics; label sets are bounded (route templates, topics, never ids)."""

    def __init__(self, service: str, version: str, commit: str) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        r = self.registry
        # `service` comes from the scrape config's target labels, not from the process.
        self.build_info = Gauge(
            "dondoc_build_info",
            "Version and commit of the running service.",
            ["version", "commit"],
            registry=r,
        )
        self.build_info.labels(version, commit).set(1)
        self.http_requests = Counter(
            "dondoc_http_requests_total", "HTTP requests answered.", ["route", "method", "status"], registry=r
        )
        self.http_latency = Histogram(
            "dondoc_http_request_duration_seconds",
            "HTTP request latency.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.events_consumed = Counter(
            "dondoc_events_consumed_total", "Events consumed, by outcome.", ["topic", "outcome"], registry=r
        )
        self.handler_latency = Histogram(
            "dondoc_event_handler_duration_seconds",
            "Event handler latency.",
            ["topic"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.events_published = Counter(
            "dondoc_events_published_total", "Events published from the outbox.", ["topic"], registry=r
        )
        self.consumer_lag = Gauge(
            "dondoc_consumer_lag",
            "Messages behind the partition's end offset.",
            ["topic", "partition"],
            registry=r,
        )
        self.outbox_pending = Gauge("dondoc_outbox_pending", "Outbox rows not yet published.", registry=r)
        self.outbox_oldest_age = Gauge(
            "dondoc_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row.", registry=r
        )
        self.ready = Gauge(
            "dondoc_ready", "1 when the service's store and broker answer, 0 when not.", registry=r
        )
        # Periodic work (dondoc.platform.jobs), by job name ("job" is Prometheus' own target label).
        self.job_runs = Counter(
            "dondoc_job_runs_total", "Rounds of periodic work started.", ["name"], registry=r
        )
        self.job_failures = Counter(
            "dondoc_job_failures_total", "Rounds of periodic work that failed.", ["name"], registry=r
        )
        self.job_duration = Histogram(
            "dondoc_job_duration_seconds",
            "Duration of a round of periodic work.",
            ["name"],
            buckets=(*LATENCY_BUCKETS, 30.0, 60.0, 300.0),
            registry=r,
        )
        self.dead_letters = Counter(
            "dondoc_dead_letters_total", "Messages dead-lettered after retries.", ["topic"], registry=r
        )


def observe_many(histogram: Any, amount: float, count: int) -> None:
    """`histogram.observe(amount)` done `count` times, in one step (a labelled Histogram child).

    A batch's events share one latency (the batch's time over its size): observing it once per event
    cost about a microsecond each, a tenth of a consumer's whole work per event. Written against
    prometheus_client's Histogram (its sum and per-bucket counters); tests/platform/unit checks that it
    matches `observe` called `count` times.
    """
    if count <= 0:
        return
    histogram._raise_if_not_observable()
    histogram._sum.inc(amount * count)
    for i, bound in enumerate(histogram._upper_bounds):
        if amount <= bound:
            histogram._buckets[i].inc(count)
            break

"""A real Prometheus scrapes a service's /metrics, labels it by service, and the alert rules see it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from tests.support.deploy.catalog import REPO
from tests.support.deploy.prom import RunningPrometheus, Sample, free_port, run_prometheus

RULE_FILES = sorted((REPO / "deploy" / "prometheus" / "rules").glob("*.yml"))


@pytest.fixture(scope="module")
def metrics_endpoint() -> Iterator[str]:
    """A tiny HTTP server exposing a few dondoc metrics the way a service does."""
    registry = CollectorRegistry()
    consumed = Counter("dondoc_events_consumed", "Events consumed.", ["topic", "outcome"], registry=registry)
    consumed.labels("task.assigned", "ok").inc(3)
    consumed.labels("task.assigned", "dead_lettered").inc()
    Gauge("dondoc_outbox_pending", "Outbox rows not yet published.", registry=registry).set(7)
    latency = Histogram(
        "dondoc_http_request_duration_seconds", "Latency.", ["route", "method"], registry=registry
    )
    latency.labels("/assignments", "GET").observe(0.03)
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def prometheus(
    metrics_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPrometheus]:
    """One Prometheus for the module: tasks answers, notify's address has nothing listening."""
    targets = {"tasks": metrics_endpoint, "notify": f"127.0.0.1:{free_port()}"}
    with run_prometheus(targets, tmp_path_factory.mktemp("prometheus"), rule_files=RULE_FILES) as running:
        yield running


def value(sample: Sample) -> float:
    return float(sample["value"][1])


def labels(sample: Sample) -> dict[str, str]:
    return sample["metric"]


def test_prometheus_scrapes_a_service_and_labels_its_series_with_the_service(
    metrics_endpoint: str, prometheus: RunningPrometheus
) -> None:
    up = prometheus.wait_for('up{job="dondoc-tasks"}')
    assert [(labels(s)["service"], value(s)) for s in up] == [("tasks", 1.0)]

    consumed = prometheus.wait_for('dondoc_events_consumed_total{outcome="ok"}')
    assert len(consumed) == 1
    assert labels(consumed[0]) == {
        "__name__": "dondoc_events_consumed_total",
        "instance": metrics_endpoint,
        "job": "dondoc-tasks",
        "service": "tasks",
        "topic": "task.assigned",
        "outcome": "ok",
    }
    assert value(consumed[0]) == 3.0
    assert [value(s) for s in prometheus.query("dondoc_outbox_pending")] == [7.0]
    assert prometheus.query('dondoc_http_request_duration_seconds_count{route="/assignments"}')


def test_the_alert_rules_load_and_see_a_service_that_does_not_answer(prometheus: RunningPrometheus) -> None:
    groups = prometheus.api("rules")
    assert isinstance(groups, dict)
    alert_names = {
        rule["name"] for group in groups["groups"] for rule in group["rules"] if rule["type"] == "alerting"
    }
    assert {"ServiceDown", "OutboxStuck", "DeadLettersAppearing"} <= alert_names

    pending = prometheus.wait_for('ALERTS{alertname="ServiceDown"}')
    assert [(labels(s)["service"], labels(s)["alertstate"]) for s in pending] == [("notify", "pending")]
    assert [value(s) for s in prometheus.query('up{service="tasks"}')] == [1.0]

"""Notify's own metrics, on the app's registry (the one `/metrics` serves)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class NotifyMetrics:
    """Notifications by channel and outcome, and how long each delivery attempt took."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.notifications = Counter(
            "dondoc_notifications",
            "Notifications by channel and outcome (sent, failed attempt, dead_lettered).",
            ["channel", "outcome"],
            registry=registry,
        )
        self.delivery_seconds = Histogram(
            "dondoc_notification_delivery_seconds",
            "Time one delivery attempt took, by channel.",
            ["channel"],
            registry=registry,
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )

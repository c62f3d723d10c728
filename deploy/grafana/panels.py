"""The panels of the dondoc dashboard, row by row; build_dashboard.py turns them into Grafana JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

SERVICE = 'service=~"$service"'
RATE = "$__rate_interval"


@dataclass(frozen=True)
class Panel:
    """One dashboard panel: a title, its queries as (PromQL, legend) pairs, and how to show them."""

    title: str
    targets: tuple[tuple[str, str], ...]
    unit: str = "short"
    kind: str = "timeseries"
    width: int = 8
    description: str = ""
    stack: bool = False


@dataclass(frozen=True)
class Row:
    """A titled row of panels."""

    title: str
    panels: tuple[Panel, ...] = field(default_factory=tuple)


def quantile(q: float, metric: str, by: str, selector: str = SERVICE) -> str:
    """PromQL for a quantile of a histogram, aggregated over everything but `by`."""
    return f"histogram_quantile({q}, sum by ({by}, le) (rate({metric}_bucket{{{selector}}}[{RATE}])))"


GOLDEN = Row(
    "Golden signals",
    (
        Panel(
            "Instances up",
            ((f"sum by (service) (up{{{SERVICE}}})", "{{service}}"),),
            kind="stat",
            width=6,
            description="Scraped instances answering /metrics, per service.",
        ),
        Panel(
            "Instances ready",
            ((f"sum by (service) (dondoc_ready{{{SERVICE}}})", "{{service}}"),),
            kind="stat",
            width=6,
            description="Instances whose store and broker answer; ServiceNotReady fires after 1 minute at 0.",
        ),
        Panel(
            "Request rate",
            ((f"sum by (service) (rate(dondoc_http_requests_total{{{SERVICE}}}[{RATE}]))", "{{service}}"),),
            unit="reqps",
            width=6,
        ),
        Panel(
            "Server error ratio (5xx)",
            (
                (
                    f'sum by (service) (rate(dondoc_http_requests_total{{{SERVICE}, status=~"5.."}}[{RATE}]))'
                    f" / sum by (service) (rate(dondoc_http_requests_total{{{SERVICE}}}[{RATE}]))",
                    "{{service}}",
                ),
            ),
            unit="percentunit",
            width=6,
            description="HighErrorRate fires above 5% for 10 minutes.",
        ),
        Panel(
            "Latency p50 / p99",
            (
                (quantile(0.5, "dondoc_http_request_duration_seconds", "service"), "p50 {{service}}"),
                (quantile(0.99, "dondoc_http_request_duration_seconds", "service"), "p99 {{service}}"),
            ),
            unit="s",
            width=6,
        ),
        Panel(
            "Slowest routes (p99)",
            (
                (
                    quantile(0.99, "dondoc_http_request_duration_seconds", "service, route"),
                    "{{service}} {{route}}",
                ),
            ),
            unit="s",
        ),
        Panel(
            "Outbox pending",
            ((f"sum by (service) (dondoc_outbox_pending{{{SERVICE}}})", "{{service}}"),),
            description="Saturation: events written but not yet published to Kafka.",
        ),
        Panel(
            "Outbox oldest unpublished age",
            ((f"max by (service) (dondoc_outbox_oldest_age_seconds{{{SERVICE}}})", "{{service}}"),),
            unit="s",
            description="OutboxStuck fires above 5 minutes.",
        ),
    ),
)

EVENTS = Row(
    "Events",
    (
        Panel(
            "Consumer lag by topic and partition",
            (
                (
                    f"sum by (service, topic, partition) (dondoc_consumer_lag{{{SERVICE}}})",
                    "{{service}} {{topic}}[{{partition}}]",
                ),
            ),
            width=12,
        ),
        Panel(
            "Events consumed by outcome",
            (
                (
                    f"sum by (topic, outcome) (rate(dondoc_events_consumed_total{{{SERVICE}}}[{RATE}]))",
                    "{{topic}} {{outcome}}",
                ),
            ),
            unit="ops",
            width=12,
            stack=True,
        ),
        Panel(
            "Events published",
            ((f"sum by (topic) (rate(dondoc_events_published_total{{{SERVICE}}}[{RATE}]))", "{{topic}}"),),
            unit="ops",
        ),
        Panel(
            "Event handler p99",
            ((quantile(0.99, "dondoc_event_handler_duration_seconds", "topic"), "{{topic}}"),),
            unit="s",
        ),
        Panel(
            "Dead letters (last hour)",
            (
                (
                    f"sum by (service, topic) (increase(dondoc_dead_letters_total{{{SERVICE}}}[1h]))",
                    "{{service}} {{topic}}",
                ),
            ),
            kind="bargauge",
            description="Messages sent to dondoc.dlq after every retry failed.",
        ),
    ),
)

# Domain gauges come from each service's database: every replica reports the same value, so max, not sum.
DOMAIN = Row(
    "Plans, assignments and reports",
    (
        Panel(
            "Plans received by issuer (per hour)",
            (("sum by (issuer) (increase(dondoc_plans_received_total[1h]))", "{{issuer}}"),),
            stack=True,
        ),
        Panel("Assignments by status", (("max by (status) (dondoc_assignments)", "{{status}}"),), stack=True),
        Panel(
            "Overdue assignments by unit kind",
            (("max by (unit_kind) (dondoc_overdue_assignments)", "{{unit_kind}}"),),
            kind="bargauge",
        ),
        Panel(
            "Reports due / received / missing",
            (
                ("max by (period) (dondoc_reports_due)", "due {{period}}"),
                ("max by (period) (dondoc_reports_received)", "received {{period}}"),
                ("max by (period) (dondoc_reports_missing)", "missing {{period}}"),
            ),
            width=12,
        ),
        Panel(
            "Missing report ratio",
            (("period:dondoc_reports_missing:ratio", "{{period}}"),),
            unit="percentunit",
            width=12,
            description="ReportingPeriodClosingWithManyMissing fires above 30%.",
        ),
        Panel(
            "City submissions compiled (per day)",
            (("sum by (trigger) (increase(dondoc_reports_generated_total[1d]))", "{{trigger}}"),),
            stack=True,
            description="period_closed: compiled by itself once every report of a period was past due.",
        ),
        Panel(
            "Notifications by channel and outcome",
            (
                (
                    f"sum by (channel, outcome) (rate(dondoc_notifications_total[{RATE}]))",
                    "{{channel}} {{outcome}}",
                ),
            ),
            unit="ops",
            width=12,
            stack=True,
        ),
        Panel(
            "Notification delivery p99",
            (
                (
                    "histogram_quantile(0.99, sum by (channel, le) "
                    f"(rate(dondoc_notification_delivery_seconds_bucket[{RATE}])))",
                    "{{channel}}",
                ),
            ),
            unit="s",
            width=12,
        ),
    ),
)

PROCESS = Row(
    "Processes",
    (
        Panel(
            "Resident memory",
            (
                (
                    f"sum by (service, instance) (process_resident_memory_bytes{{{SERVICE}}})",
                    "{{service}} {{instance}}",
                ),
            ),
            unit="bytes",
        ),
        Panel(
            "CPU",
            (
                (
                    f"sum by (service, instance) (rate(process_cpu_seconds_total{{{SERVICE}}}[{RATE}]))",
                    "{{service}} {{instance}}",
                ),
            ),
            unit="percentunit",
        ),
        Panel(
            "Running versions",
            (
                (
                    "count by (service, version, commit) (dondoc_build_info)",
                    "{{service}} {{version}} {{commit}}",
                ),
            ),
            kind="table",
        ),
    ),
)

# Periodic work (dondoc.platform.jobs): tasks' and reporting's tickers, notify's delivery worker.
JOBS = Row(
    "Periodic work",
    (
        Panel(
            "Job rounds and failures (per hour)",
            (
                (f"sum by (service, name) (increase(dondoc_job_runs_total{{{SERVICE}}}[1h]))", "{{name}}"),
                (
                    f"sum by (service, name) (increase(dondoc_job_failures_total{{{SERVICE}}}[1h]))",
                    "failed {{name}}",
                ),
            ),
            width=12,
            description="A failed round is logged with its job's name; the next round comes anyway.",
        ),
        Panel(
            "Job round duration p99",
            ((quantile(0.99, "dondoc_job_duration_seconds", "service, name"), "{{name}}"),),
            unit="s",
            width=12,
        ),
    ),
)

ROWS = (GOLDEN, EVENTS, DOMAIN, JOBS, PROCESS)

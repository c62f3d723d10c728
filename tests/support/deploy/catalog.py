"""What the services promise the deployment: ports, environment, topics and metric names, in one place.

Topics come from shared.topics, the one list the code publishes and subscribes to.
"""

from __future__ import annotations

from typing import Final

from shared.topics import ALL_TOPICS
from tests.support import ROOT

REPO: Final = ROOT

SERVICE_PORTS: Final[dict[str, int]] = {"intake": 8001, "tasks": 8002, "reporting": 8003, "notify": 8004}

# Variables every service reads, and those only notify reads.
SERVICE_ENV: Final = frozenset(
    {
        "KAFKA_BOOTSTRAP",
        "DATABASE_URL",
        "HTTP_HOST",
        "HTTP_PORT",
        "SERVICE_NAME",
        "LOG_LEVEL",
        "DONDOC_ADMIN_TOKEN",
        "PUBLIC_BASE_URL",
    }
)
NOTIFY_ENV: Final = frozenset(
    {
        "NOTIFY_SMTP_HOST",
        "NOTIFY_SMTP_PORT",
        "NOTIFY_SMTP_STARTTLS",
        "NOTIFY_SMTP_USER",
        "NOTIFY_SMTP_PASSWORD",
        "NOTIFY_SMTP_FROM",
        "NOTIFY_WEBHOOK_SECRET",
        "NOTIFY_SECRETS_KEYS",
        "TASKS_PUBLIC_URL",
        "INTAKE_PUBLIC_URL",
    }
)
# What notify alone may hold: all it reads but the workspace's address, which reporting reads too to send
# people back to the workspace (ADR 0091).
NOTIFY_ONLY_ENV: Final = NOTIFY_ENV - {"INTAKE_PUBLIC_URL"}
# Credentials: compose must refuse to start without them rather than fall back to a default.
SECRET_ENV: Final = frozenset(
    {"DONDOC_ADMIN_TOKEN", "NOTIFY_SMTP_PASSWORD", "NOTIFY_WEBHOOK_SECRET", "NOTIFY_SECRETS_KEYS"}
)

TOPICS: Final = frozenset(ALL_TOPICS)

# Metric families the services export (histograms by their base name).
METRICS: Final = frozenset(
    {
        "dondoc_http_requests_total",
        "dondoc_http_request_duration_seconds",
        "dondoc_events_consumed_total",
        "dondoc_event_handler_duration_seconds",
        "dondoc_events_published_total",
        "dondoc_consumer_lag",
        "dondoc_outbox_pending",
        "dondoc_outbox_oldest_age_seconds",
        "dondoc_dead_letters_total",
        "dondoc_job_runs_total",
        "dondoc_job_failures_total",
        "dondoc_job_duration_seconds",
        "dondoc_build_info",
        "dondoc_ready",
        "dondoc_plans_received_total",
        "dondoc_assignments",
        "dondoc_overdue_assignments",
        "dondoc_reports_due",
        "dondoc_reports_received",
        "dondoc_reports_missing",
        "dondoc_reports_generated_total",
        "dondoc_notifications_total",
        "dondoc_notification_delivery_seconds",
        "up",
    }
)
# prometheus_client's default collectors (process_*, python_*) are allowed by prefix.
DEFAULT_COLLECTOR_PREFIXES: Final = ("process_", "python_")
HISTOGRAM_SUFFIXES: Final = ("_bucket", "_sum", "_count")

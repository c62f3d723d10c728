"""Reporting: the city's submission to Sở Tư pháp, completeness and timeliness, and the city dashboard."""

from __future__ import annotations

from pathlib import Path

from dondoc.kernel.clock import SYSTEM_CLOCK, Clock
from dondoc.platform.app import ServiceApp, build_service_app, service_metrics
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import Runtime, ServiceSpec
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.context import ReportingContext
from services.reporting.http import routes
from services.reporting.jobs import ticker
from services.reporting.metrics import ReportingMetrics
from services.reporting.models import PLATFORM, metadata
from services.reporting.settings import ReportingSettings
from services.reporting.web import render
from services.reporting.web import wiring as dashboard
from services.reporting.web.routes import compiled_cache
from services.reporting.web.warm import Warmer
from shared import topics
from shared.envelope import Envelope

SPEC = ServiceSpec(
    "reporting",
    metadata,
    PLATFORM,
    Path(__file__).parent / "migrations",
    with_credentials(SUBSCRIPTIONS).bind(None),
)


def create_app(
    settings: ReportingSettings | None = None, clock: Clock = SYSTEM_CLOCK
) -> ServiceApp[ReportingSettings, ReportingContext]:
    """Build the reporting service; `clock` is the system's unless a test or a replay passes its own."""
    settings = settings or ReportingSettings()
    ctx = ReportingContext(settings, clock)
    metrics = service_metrics(SPEC.name, settings)
    domain = ReportingMetrics(metrics.registry)

    async def start(runtime: Runtime) -> None:
        render.warm()
        runtime.on_events_committed(lambda events: _count_generated(domain, events))

    warmer = Warmer(ctx)
    app = build_service_app(
        SPEC,
        settings,
        ctx,
        [routes.router, *dashboard.routers()],
        title="dondoc — báo cáo (reporting)",
        description="Tổng hợp báo cáo của thành phố gửi Sở Tư pháp và bảng điều khiển.",
        metrics=metrics,
        jobs=[ticker(ctx, domain), warmer.job()],
        on_start=[start],
    )
    dashboard.mount_static(app)
    warmer.keep(compiled_cache(app))
    return app


def _count_generated(metrics: ReportingMetrics, events: list[Envelope]) -> None:
    for envelope in events:
        if envelope.topic == topics.REPORT_GENERATED:
            trigger = str(envelope.data.get("trigger", "on_demand"))
            metrics.generated.labels(trigger).inc()

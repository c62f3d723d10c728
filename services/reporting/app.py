"""Reporting: the city's submission to Sở Tư pháp, completeness and timeliness, and the city dashboard."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import Runtime, ServiceSpec
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.context import ReportingContext, Today, system_today
from services.reporting.http import routes
from services.reporting.jobs import Ticker
from services.reporting.metrics import ReportingMetrics
from services.reporting.models import PLATFORM, metadata
from services.reporting.settings import ReportingSettings
from services.reporting.web import render
from services.reporting.web import wiring as dashboard
from shared import topics
from shared.envelope import Envelope

SPEC = ServiceSpec(
    "reporting",
    metadata,
    PLATFORM,
    Path(__file__).parent / "migrations",
    with_credentials(SUBSCRIPTIONS).bind(None),
)


def create_app(settings: ReportingSettings | None = None, today: Today = system_today) -> FastAPI:
    """Build the reporting service; `today` is the system's day unless a test or a replay passes its own."""
    settings = settings or ReportingSettings()
    ctx = ReportingContext(settings, today)
    holder: list[Ticker] = []

    async def start(runtime: Runtime) -> None:
        render.warm()
        runtime.on_events_committed(lambda events: _count_generated(metrics, events))
        await holder[0].start(runtime)

    async def stop(runtime: Runtime) -> None:
        await holder[0].stop(runtime)

    app = build_service_app(
        SPEC,
        settings,
        [routes.router, *dashboard.routers()],
        title="dondoc — báo cáo (reporting)",
        description="Tổng hợp báo cáo của thành phố gửi Sở Tư pháp và bảng điều khiển.",
        on_start=[start],
        on_stop=[stop],
    )
    dashboard.mount_static(app)
    metrics = ReportingMetrics(app.state.metrics.registry)
    holder.append(Ticker(ctx, metrics))
    app.state.reporting = ctx
    app.state.ticker = holder[0]
    return app


def _count_generated(metrics: ReportingMetrics, events: list[Envelope]) -> None:
    for envelope in events:
        if envelope.topic == topics.REPORT_GENERATED:
            trigger = str(envelope.data.get("trigger", "on_demand"))
            metrics.generated.labels(trigger).inc()

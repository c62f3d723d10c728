"""Notify: every unit hears what it was assigned and what is due — once, on the channel it chose."""

from __future__ import annotations

from pathlib import Path

from dondoc.kernel.clock import SYSTEM_CLOCK, Clock
from dondoc.platform.app import ServiceApp, build_service_app, service_metrics
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.notify.channels.secrets_at_rest import encrypt_plain_at_start
from services.notify.consumers import SUBSCRIPTIONS
from services.notify.context import NotifyContext
from services.notify.http import admin, routes
from services.notify.jobs import DeliveryWorker
from services.notify.metrics import NotifyMetrics
from services.notify.models import PLATFORM, metadata
from services.notify.settings import NotifySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: NotifySettings | None = None, *, clock: Clock = SYSTEM_CLOCK
) -> ServiceApp[NotifySettings, NotifyContext]:
    """Build the notify service; `clock` decides digests, retries and quiet hours (tests move it)."""
    settings = settings or NotifySettings()
    metrics = service_metrics("notify", settings)
    ctx = NotifyContext(settings, clock, NotifyMetrics(metrics.registry))
    spec = ServiceSpec("notify", metadata, PLATFORM, MIGRATIONS, with_credentials(SUBSCRIPTIONS).bind(ctx))
    return build_service_app(
        spec,
        settings,
        ctx,
        [routes.router, admin.router],
        title="dondoc — thông báo (notify)",
        description="Thông báo nhiệm vụ được giao và hạn báo cáo tới từng đơn vị.",
        metrics=metrics,
        jobs=[DeliveryWorker(ctx).job()],
        on_start=[encrypt_plain_at_start(ctx.secrets)],
    )

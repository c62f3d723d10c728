"""Notify: every unit hears what it was assigned and what is due — once, on the channel it chose."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.notify.channels.secrets_at_rest import encrypt_plain_at_start
from services.notify.consumers import SUBSCRIPTIONS
from services.notify.context import Clock, NotifyContext, system_clock
from services.notify.http import admin, routes
from services.notify.jobs import DeliveryWorker
from services.notify.models import PLATFORM, metadata
from services.notify.settings import NotifySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotifySettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """Build the notify service; `clock` decides digests, retries and quiet hours (tests move it)."""
    settings = settings or NotifySettings()
    ctx = NotifyContext(settings, clock)
    spec = ServiceSpec("notify", metadata, PLATFORM, MIGRATIONS, with_credentials(SUBSCRIPTIONS).bind(ctx))
    worker = DeliveryWorker(ctx)
    app = build_service_app(
        spec,
        settings,
        [routes.router, admin.router],
        title="dondoc — thông báo (notify)",
        description="Thông báo nhiệm vụ được giao và hạn báo cáo tới từng đơn vị.",
        on_start=[encrypt_plain_at_start(ctx.secrets), worker.start],
        on_stop=[worker.stop],
    )
    app.state.notify = ctx
    app.state.delivery_worker = worker
    return app

"""Notify: every unit hears what it was assigned and what is due — once, on the channel it chose."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.notify import api
from services.notify.consumers import SUBSCRIPTIONS
from services.notify.models import PLATFORM, metadata
from services.notify.settings import NotifySettings

SPEC = ServiceSpec(
    "notify", metadata, PLATFORM, Path(__file__).parent / "migrations", with_credentials(SUBSCRIPTIONS)
)


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    return build_service_app(
        SPEC,
        settings,
        [api.router],
        title="dondoc — thông báo (notify)",
        description="Thông báo nhiệm vụ được giao và hạn báo cáo tới từng đơn vị.",
    )

"""Reporting: the city's submission to Sở Tư pháp, completeness and timeliness, and the city dashboard."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.reporting import api
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.models import PLATFORM, metadata
from services.reporting.settings import ReportingSettings

SPEC = ServiceSpec(
    "reporting", metadata, PLATFORM, Path(__file__).parent / "migrations", with_credentials(SUBSCRIPTIONS)
)


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    return build_service_app(
        SPEC,
        settings,
        [api.router],
        title="dondoc — báo cáo (reporting)",
        description="Tổng hợp báo cáo của thành phố gửi Sở Tư pháp và bảng điều khiển.",
    )

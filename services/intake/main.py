"""Intake: the HTTP API ward and city systems call. `create_app` is the only place wiring happens."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.runtime import ServiceSpec
from services.intake import api
from services.intake.consumers import SUBSCRIPTIONS
from services.intake.models import PLATFORM, metadata
from services.intake.settings import IntakeSettings

SPEC = ServiceSpec(
    name="intake",
    metadata=metadata,
    tables=PLATFORM,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=SUBSCRIPTIONS,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    return build_service_app(
        SPEC,
        settings,
        [api.router],
        title="dondoc — tiếp nhận (intake)",
        description="Cổng tiếp nhận kế hoạch, kết quả và báo cáo định kỳ của các đơn vị.",
    )

"""Intake: the HTTP API ward and city systems call. `create_app` is the only place wiring happens."""

from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import APIRouter, Depends
from prometheus_client import Counter
from sqlalchemy.exc import IntegrityError

from dondoc.directory.api import build_directory_router
from dondoc.platform.app import ServiceApp, build_service_app, get_principal
from dondoc.platform.runtime import Runtime, ServiceSpec
from services.intake import directory_store
from services.intake.consumers import SUBSCRIPTIONS
from services.intake.context import IntakeContext
from services.intake.http import admin, plans, routes
from services.intake.http.deps import get_directory
from services.intake.models import PLATFORM, metadata
from services.intake.settings import IntakeSettings
from services.intake.web import wiring as workspace
from shared import topics
from shared.envelope import Envelope

SPEC = ServiceSpec(
    name="intake",
    metadata=metadata,
    tables=PLATFORM,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=SUBSCRIPTIONS.bind(None),
)


async def count_plans_received(runtime: Runtime) -> None:
    """`dondoc_plans_received_total{issuer}`: each confirmed plan version, counted when its event commits."""
    counter = Counter(
        "dondoc_plans_received_total",
        "Plan versions confirmed, by issuing unit.",
        ["issuer"],
        registry=runtime.metrics.registry,
    )

    def count(events: list[Envelope]) -> None:
        for envelope in events:
            if envelope.topic == topics.PLAN_RECEIVED:
                issuer = envelope.data.get("issuer")
                counter.labels(str(issuer.get("unit") if isinstance(issuer, dict) else None)).inc()

    runtime.on_events_committed(count)


def create_app(settings: IntakeSettings | None = None) -> ServiceApp[IntakeSettings, IntakeContext]:
    """Build the intake service (its directory seeded on a fresh store at start)."""
    settings = settings or IntakeSettings()
    # Read-only, but never anonymous: every directory route needs a credential.
    directory_router = APIRouter(dependencies=[Depends(get_principal)])
    directory_router.include_router(build_directory_router(get_directory))

    async def seed_directory(runtime: Runtime) -> None:
        # Two instances starting on a fresh store race for version 1: the loser keeps the winner's.
        with contextlib.suppress(IntegrityError):
            async with runtime.uow() as uow:
                await directory_store.seed(uow, settings)

    app = build_service_app(
        SPEC,
        settings,
        IntakeContext(settings),
        [plans.router, routes.router, admin.router, directory_router, *workspace.routers()],
        title="dondoc — tiếp nhận (intake)",
        description="Cổng tiếp nhận kế hoạch, kết quả và báo cáo định kỳ của các đơn vị; danh mục đơn vị.",
        on_start=[seed_directory, count_plans_received],
    )
    workspace.mount_static(app)
    return app

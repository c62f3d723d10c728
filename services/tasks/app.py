"""Tasks: assignments for every unit meant, their status, deadlines and the reporting calendar."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.tasks.consumers import SUBSCRIPTIONS
from services.tasks.context import build_context
from services.tasks.directory import load_unit_directory
from services.tasks.domain.clock import Clock
from services.tasks.http import plans, routes
from services.tasks.jobs import Ticker
from services.tasks.metrics import DomainMetrics
from services.tasks.models import PLATFORM, metadata
from services.tasks.settings import TasksSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: TasksSettings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build the tasks service; `clock` is the system clock unless a test or a replay passes its own."""
    settings = settings or TasksSettings()
    ctx = build_context(settings, load_unit_directory(settings.directory_path), clock)
    spec = ServiceSpec("tasks", metadata, PLATFORM, MIGRATIONS, with_credentials(SUBSCRIPTIONS).bind(ctx))
    holder: list[Ticker] = []

    app = build_service_app(
        spec,
        settings,
        [routes.router, plans.router],
        title="dondoc — nhiệm vụ (tasks)",
        description="Giao nhiệm vụ cho từng đơn vị, theo dõi trạng thái, hạn và lịch báo cáo.",
        on_start=[lambda runtime: holder[0].start(runtime)],
        on_stop=[lambda runtime: holder[0].stop(runtime)],
    )
    ticker = Ticker(ctx, DomainMetrics(app.state.metrics.registry, ctx.directory))
    holder.append(ticker)
    app.state.tasks = ctx
    app.state.ticker = ticker
    return app

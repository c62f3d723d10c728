"""Tasks: assignments for every unit meant, their status, deadlines and the reporting calendar."""

from __future__ import annotations

from pathlib import Path

from dondoc.kernel.clock import Clock
from dondoc.platform.app import ServiceApp, build_service_app, service_metrics
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.tasks.consumers import SUBSCRIPTIONS
from services.tasks.context import TasksContext, build_context
from services.tasks.directory import load_unit_directory
from services.tasks.http import plans, routes
from services.tasks.jobs import ticker
from services.tasks.metrics import DomainMetrics
from services.tasks.models import PLATFORM, metadata
from services.tasks.settings import TasksSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(
    settings: TasksSettings | None = None, clock: Clock | None = None
) -> ServiceApp[TasksSettings, TasksContext]:
    """Build the tasks service; `clock` is the system clock unless a test or a replay passes its own."""
    settings = settings or TasksSettings()
    ctx = build_context(settings, load_unit_directory(settings.directory_path), clock)
    spec = ServiceSpec("tasks", metadata, PLATFORM, MIGRATIONS, with_credentials(SUBSCRIPTIONS).bind(ctx))
    metrics = service_metrics(spec.name, settings)
    return build_service_app(
        spec,
        settings,
        ctx,
        [routes.router, plans.router],
        title="dondoc — nhiệm vụ (tasks)",
        description="Giao nhiệm vụ cho từng đơn vị, theo dõi trạng thái, hạn và lịch báo cáo.",
        metrics=metrics,
        jobs=[ticker(ctx, DomainMetrics(metrics.registry, ctx.directory))],
    )

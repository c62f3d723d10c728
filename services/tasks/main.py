"""Tasks: assignments for every unit meant, their status, deadlines and the reporting calendar."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from dondoc.platform.app import build_service_app
from dondoc.platform.credentials import with_credentials
from dondoc.platform.runtime import ServiceSpec
from services.tasks import api
from services.tasks.consumers import subscriptions
from services.tasks.directory import load_unit_directory
from services.tasks.models import PLATFORM, metadata
from services.tasks.settings import TasksSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: TasksSettings | None = None) -> FastAPI:
    settings = settings or TasksSettings()
    directory = load_unit_directory(settings.directory_path)
    spec = ServiceSpec("tasks", metadata, PLATFORM, MIGRATIONS, with_credentials(subscriptions(directory)))
    return build_service_app(
        spec,
        settings,
        [api.router],
        title="dondoc — nhiệm vụ (tasks)",
        description="Giao nhiệm vụ cho từng đơn vị, theo dõi trạng thái, hạn và lịch báo cáo.",
    )

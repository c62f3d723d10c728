"""Tasks' settings."""

from __future__ import annotations

from dondoc.platform.settings import ServiceSettings


class TasksSettings(ServiceSettings):
    service_name: str = "tasks"
    http_port: int = 8002
    public_base_url: str = "http://127.0.0.1:8002"
    database_url: str = "sqlite:///var/tasks.db"
    reminder_offsets_days: tuple[int, ...] = (7, 3, 1)
    tick_seconds: float = 60.0

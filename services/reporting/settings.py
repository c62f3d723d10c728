"""Reporting's settings."""

from __future__ import annotations

from dondoc.platform.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8003
    public_base_url: str = "http://127.0.0.1:8003"
    database_url: str = "sqlite:///var/reporting.db"

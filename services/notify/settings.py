"""Notify's settings."""

from __future__ import annotations

from dondoc.platform.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    service_name: str = "notify"
    http_port: int = 8004
    public_base_url: str = "http://127.0.0.1:8004"
    database_url: str = "sqlite:///var/notify.db"
    notify_smtp_host: str | None = None
    notify_smtp_port: int = 25
    notify_smtp_starttls: bool = False
    notify_smtp_user: str | None = None
    notify_smtp_password: str | None = None
    notify_smtp_from: str = "dondoc@localhost"
    notify_webhook_secret: str | None = None

"""Notify's settings."""

from __future__ import annotations

from pathlib import Path

from dondoc.platform.settings import ServiceSettings
from services.notify.domain.notices import OverdueTone


class NotifySettings(ServiceSettings):
    """Where notify sends (SMTP, webhooks), how it retries, groups and words its messages."""

    service_name: str = "notify"
    http_port: int = 8004
    public_base_url: str = "http://127.0.0.1:8004"
    database_url: str = "sqlite:///var/notify.db"
    # Unused since links open the people's workspace (below); kept so deployments that set it still start.
    tasks_public_url: str = "http://127.0.0.1:8002"
    # Every link in a message (inbox, e-mail, webhook) opens the workspace page of what it is about:
    # `<intake_public_url>/workspace/...`; a signed-out visitor signs in and comes back to it.
    intake_public_url: str = "http://127.0.0.1:8001"
    # None: the templates shipped with the service; operators point this at an edited copy.
    notify_templates_dir: Path | None = None
    notify_smtp_host: str | None = None
    notify_smtp_port: int = 25
    notify_smtp_starttls: bool = False
    notify_smtp_user: str | None = None
    notify_smtp_password: str | None = None
    notify_smtp_from: str = "dondoc@localhost"
    notify_smtp_timeout_seconds: float = 30.0
    notify_webhook_secret: str | None = None
    # Fernet keys, newest first, comma-separated: units' webhook secrets are stored encrypted under them
    # (services/notify/channels/secrets_at_rest.py). `make run` generates one into var/notify-secrets-key.
    notify_secrets_keys: str | None = None
    notify_webhook_timeout_seconds: float = 10.0
    # Webhooks go to public https:// addresses only (services/notify/channels/address.py). Development and
    # tests receive on 127.0.0.1 over plain HTTP and opt in to exactly that here; never in production.
    notify_webhook_allow_loopback: bool = False
    # How an overdue assignment is told: the lead (chủ trì) gets the escalation ("khẩn trương hoàn thành"),
    # a coordinating unit (phối hợp) a gentler reminder to work with the lead; "off" tells that role nothing.
    notify_overdue_lead: OverdueTone = "escalate"
    notify_overdue_coordinators: OverdueTone = "gentle"
    # Assignments of one plan to one unit arriving within this window leave as one digest.
    notify_digest_window_seconds: float = 60.0
    notify_worker_poll_seconds: float = 1.0
    notify_worker_batch_size: int = 200
    # A row left "sending" longer than this (its sender died) is claimed again.
    notify_sending_lease_seconds: float = 120.0
    notify_retry_base_seconds: float = 30.0
    notify_retry_cap_seconds: float = 3600.0
    notify_max_attempts: int = 8

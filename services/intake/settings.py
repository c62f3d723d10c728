"""Intake's settings: the platform's, with intake's own port and store by default, and the workspace's."""

from __future__ import annotations

from dondoc.platform.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    http_port: int = 8001
    public_base_url: str = "http://127.0.0.1:8001"
    database_url: str = "sqlite:///var/intake.db"
    max_document_bytes: int = 15 * 1024 * 1024
    # How long after a plan is confirmed here an assignment or a report owed that the replica does not hold
    # yet may still be on its way from tasks (ADR 0030): 503 + Retry-After rather than 404/422 meanwhile.
    replica_grace_seconds: float = 120.0

    # The people's workspace (services/intake/web, docs/adr/0060). Secure cookies unless `make run` says so.
    workspace_secure_cookie: bool = True
    workspace_session_hours: float = 10.0
    workspace_lockout_failures: int = 5
    workspace_lockout_minutes: float = 15.0
    workspace_due_soon_days: int = 7
    workspace_max_evidence_bytes: int = 10 * 1024 * 1024
    workspace_max_evidence_files: int = 5
    # Seeds each unit's inbox key (an HMAC of the unit): defaults to DONDOC_ADMIN_TOKEN when unset.
    workspace_secret: str | None = None
    # The reporting calendar the draft review page offers when a plan states no frequency (tasks'
    # DEFAULT_REPORT_RECURRENCE decides what is owed; keep the two in step).
    plan_default_report_recurrence: tuple[str, ...] = ("semiannual", "annual")
    # The dashboard (reporting) a person opens from the workspace, signed in by a hand-over token signed with
    # this secret (ADR 0091); reporting must hold the same one. Defaults to DONDOC_ADMIN_TOKEN when unset.
    reporting_public_url: str = "http://127.0.0.1:8003"
    dashboard_handover_secret: str | None = None
    # Where the workspace reads a unit's inbox, server-side (notify's API on the private network).
    notify_url: str = "http://127.0.0.1:8004"

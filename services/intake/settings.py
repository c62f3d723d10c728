"""Intake's settings: the platform's, with intake's own port and store by default."""

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

"""One settings class per service, read from the environment alone (the same names in every service)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """What every service needs: where its broker and its own database are, and how to behave on them."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service_name: str = "dondoc"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    database_url: str = "sqlite:///var/dondoc.db"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_fetch_max_wait_ms: int = 100  # Tansu answers an empty fetch only after this; keep it low in dev
    kafka_partitions: int = 3
    # Kafka's defaults. A Tansu group join waits about half the session timeout, so the tests shorten it.
    kafka_session_timeout_ms: int = 10_000
    kafka_heartbeat_interval_ms: int = 3_000
    log_level: str = "INFO"
    # A broker outage's repeated connection errors are summarised once per this many seconds.
    log_repeat_summary_seconds: float = 60.0
    dondoc_admin_token: str | None = None
    directory_path: Path | None = None
    # Who a plan may address beyond its own subtree of the directory (dondoc.directory.addressing, ADR 0031):
    # "ISSUER>ADDRESSEE" pairs of unit or group codes, e.g. ["HP.SO-TU-PHAP>G.COMMUNES"]; intake and tasks
    # must be given the same list.
    plan_addressing: list[str] = []
    # Where revocations are learnt without the bus (intake's base URL; dondoc.platform.revocations, ADR 0032).
    # Unset, a service knows revocations only from credential.changed (intake itself, unit tests).
    revocations_url: str | None = None
    revocation_poll_seconds: float = 1.0
    # Past this without an answer from intake, unit keys are refused (503): a revoked key lives at most this.
    revocation_max_staleness_seconds: float = 30.0

    # Delivery: bounded retries in the consumer before a message is dead-lettered.
    consumer_max_attempts: int = 3
    consumer_retry_base_seconds: float = 0.2
    # Messages handled in one transaction (one fetch at most); a failing batch falls back to one by one.
    consumer_batch_size: int = 500
    outbox_poll_seconds: float = 0.25
    outbox_min_round_seconds: float = 0.02  # a busy relay gathers commits into rounds this far apart
    outbox_batch_size: int = 500
    # The relay's producer: how long a record may wait for others to share its request (0: none; a lease
    # is handed over at once, so its rows batch anyway) and how large one partition's batch may grow.
    outbox_linger_ms: int = 0
    outbox_max_batch_bytes: int = 256 * 1024
    shutdown_grace_seconds: float = 10.0
    # How long an HTTP request waits for a store locked by another writer before answering 503 + Retry-After.
    http_store_wait_seconds: float = 1.0
    max_body_bytes: int = 20 * 1024 * 1024
    # Requests per minute per unit key (bursts of a sixth of it); the bootstrap admin token is not limited.
    rate_limit_per_minute: int = 600

    git_commit: str = Field(default="unknown")

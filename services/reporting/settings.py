"""Reporting's settings."""

from __future__ import annotations

from dondoc.platform.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Where reporting listens, when it compiles by itself, and whether results wait for review."""

    service_name: str = "reporting"
    http_port: int = 8003
    public_base_url: str = "http://127.0.0.1:8003"
    database_url: str = "sqlite:///var/reporting.db"
    # Verify, then aggregate: when true, a result or report counts only once a compiler accepted it;
    # when false it counts on arrival until a compiler returns it for correction.
    review_required: bool = False
    # Compile each plan's submission by itself once every report of a period is past its deadline.
    auto_generate: bool = True
    tick_seconds: float = 300.0
    ticker_enabled: bool = True
    dashboard_session_hours: float = 12.0
    # Seconds between the dashboard warmer's looks at the store (web/warm.py): after a change has settled it
    # compiles every plan's views in the background, so a first view is served from the cache. 0: off.
    dashboard_warm_seconds: float = 1.0
    # Send the dashboard's cookie over HTTPS only. Off only in `make run`'s plain-HTTP development defaults
    # (dondoc.platform.cli.development_environment): a deployment that forgets the setting stays safe.
    dashboard_secure_cookie: bool = True
    # People sign in to the dashboard through the workspace in intake (ADR 0091): intake signs a one-minute
    # hand-over with this secret (the same in both; DONDOC_ADMIN_TOKEN when unset). A person's dashboard
    # session is short because reporting cannot see the person disabled in intake meanwhile.
    intake_public_url: str = "http://127.0.0.1:8001"
    dashboard_handover_secret: str | None = None
    dashboard_person_session_hours: float = 2.0

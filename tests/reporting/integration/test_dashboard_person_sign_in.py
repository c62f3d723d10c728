"""A person signs in to the dashboard with the workspace's hand-over: once per token, and audited (ADR 0091).

The app runs on its store alone (no broker listens): the pages and the sign-in need nothing else.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform import handover
from dondoc.platform.runtime import Runtime
from services.reporting.app import create_app
from services.reporting.settings import ReportingSettings
from tests.support import ADMIN_TOKEN

pytestmark = pytest.mark.integration
STP = "HP.SO-TU-PHAP"


async def _audit(runtime: Runtime, action: str) -> list[tuple[str | None, str, int]]:
    t = runtime.spec.tables.audit_log
    query = select(t.c.key_id, t.c.outcome, t.c.status).where(t.c.action == action).order_by(t.c.id)
    async with runtime.engine.connect() as conn:
        return [(r.key_id, r.outcome, r.status) for r in (await conn.execute(query)).all()]


async def test_a_person_handed_over_by_the_workspace_is_signed_in_once_per_token(database_url: str) -> None:
    settings = ReportingSettings(
        database_url=database_url,
        kafka_bootstrap="127.0.0.1:1",
        dondoc_admin_token=ADMIN_TOKEN,
        dashboard_handover_secret="shared-with-intake-0123456789",
        ticker_enabled=False,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    now = datetime.now(UTC)
    token = handover.issue(
        settings.dashboard_handover_secret or "", "thu.pham", "Phạm Minh Thu", STP, "unit", now
    )
    forged = handover.issue(ADMIN_TOKEN, "thu.pham", "Phạm Minh Thu", None, "admin", now)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.runtime
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as client:
            login = await client.get("/dashboard/login", params={"next": "/dashboard/plans/p"})
            assert 'href="http://127.0.0.1:8001/workspace/dashboard?next=/dashboard/plans/p"' in login.text
            answer = await client.get("/dashboard/handover", params={"token": token, "next": "/dashboard"})
            assert answer.status_code == 303 and answer.headers["location"] == "/dashboard"
            home = await client.get("/dashboard")
            assert home.status_code == 200 and "Phạm Minh Thu" in home.text
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as stranger:
            again = await stranger.get("/dashboard/handover", params={"token": token})
            assert again.status_code == 403 and "đã được dùng" in again.text  # the token is spent
            wrong = await stranger.get("/dashboard/handover", params={"token": forged})
            assert wrong.status_code == 403  # signed with another secret than the one configured
            assert (await stranger.get("/dashboard")).status_code == 303
        assert await _audit(runtime, "dashboard.login") == [("person:thu.pham", "accepted", 303)]
        assert await _audit(runtime, "dashboard.handover") == [
            ("person:thu.pham", "refused", 403),
            (None, "refused", 403),
        ]

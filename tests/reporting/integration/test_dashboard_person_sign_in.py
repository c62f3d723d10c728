"""A person signs in to the dashboard with the workspace's hand-over: once per token, and audited (ADR 0091).

The app runs on its store alone (no broker listens): the pages and the sign-in need nothing else.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import col

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform import handover
from dondoc.platform.runtime import Runtime
from services.reporting.app import create_app
from services.reporting.models import DashboardSession
from services.reporting.settings import ReportingSettings
from services.reporting.use_cases import sessions
from shared.events import PersonSignedOut
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


async def test_a_person_signed_out_at_intake_loses_only_the_sessions_opened_before(database_url: str) -> None:
    """person.signed_out ends the person's sessions opened up to its moment: not a colleague's, and not one
    opened afterwards (the event can be consumed after the person signed in again). SQLite and PostgreSQL."""
    secret = "shared-with-intake-0123456789"
    settings = ReportingSettings(
        database_url=database_url,
        kafka_bootstrap="127.0.0.1:1",
        dondoc_admin_token=ADMIN_TOKEN,
        dashboard_handover_secret=secret,
        ticker_enabled=False,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.runtime
        transport = httpx.ASGITransport(app=app)

        async def signed_in(username: str, name: str) -> httpx.AsyncClient:
            client = httpx.AsyncClient(transport=transport, base_url="https://test")
            token = handover.issue(secret, username, name, STP, "unit", datetime.now(UTC))
            assert (await client.get("/dashboard/handover", params={"token": token})).status_code == 303
            return client

        async def on_dashboard(client: httpx.AsyncClient) -> bool:
            return (await client.get("/dashboard")).status_code == 200

        before = await signed_in("thu.pham", "Phạm Minh Thu")
        colleague = await signed_in("lan.tran", "Trần Thị Lan")
        async with runtime.uow() as uow:
            query = select(col(DashboardSession.created_at))
            opened = (await uow.session.execute(query)).scalars().all()
        moment = max(o if o.tzinfo else o.replace(tzinfo=UTC) for o in opened) + timedelta(microseconds=1)
        await asyncio.sleep(0.01)  # the next session is opened strictly after the sign-out's moment
        after = await signed_in("thu.pham", "Phạm Minh Thu")
        event = PersonSignedOut(username="thu.pham", unit=STP, reason="disabled", at=moment)
        async with runtime.uow() as uow:
            await sessions.on_person_signed_out(uow, event, None)
            await uow.commit()
        assert [await on_dashboard(c) for c in (before, colleague, after)] == [False, True, True]
        for client in (before, colleague, after):
            await client.aclose()

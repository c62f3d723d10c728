"""A service whose database goes away answers 503 with Retry-After, commits no offset, and recovers."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from dondoc.platform.runtime import Runtime
from services.tasks.app import create_app
from services.tasks.models import Assignment
from services.tasks.settings import TasksSettings
from shared import topics
from tests.support import (
    ADMIN_TOKEN,
    PG_ADMIN,
    create_pg_database,
    eventually,
    postgres_reachable,
    publish_raw,
    running,
)
from tests.support.tasks import plan_event

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def set_connections(database: str, allowed: bool) -> None:
    """Open or close a database to new connections, and cut the existing ones when closing."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allowed else "false"}')
        if not allowed:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,)
            )


async def test_an_unreachable_store_gives_503_and_the_service_catches_up_when_it_returns(broker: str) -> None:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432; the outage test needs a server to close")
    url, drop = create_pg_database()
    database = str(make_url(url).database)
    try:
        app = create_app(
            TasksSettings(kafka_bootstrap=broker, database_url=url, dondoc_admin_token=ADMIN_TOKEN)
        )
        async with running(app) as client:
            runtime: Runtime = app.runtime
            assert (await client.get("/assignments", headers=AUTH)).status_code == 200
            set_connections(database, allowed=False)
            try:
                down = await client.get("/assignments", headers=AUTH)
                assert down.status_code == 503 and down.headers["Retry-After"].isdigit()
                assert "thử lại" in down.json()["detail"]
                ready = await client.get("/ready")
                assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
                event = plan_event(["11407.VP", "11407.KT"], tasks=2)
                await publish_raw(broker, topics.PLAN_RECEIVED, event.to_bytes(), key=b"p")
                later = runtime.metrics.events_consumed.labels(topics.PLAN_RECEIVED, "retry_later")

                async def retried() -> bool:
                    return bool(later._value.get() >= 1)

                await eventually(retried, what="the consumer meeting the outage")
            finally:
                set_connections(database, allowed=True)

            async def assignments() -> int:
                async with runtime.engine.connect() as conn:
                    return int(
                        (await conn.execute(select(func.count()).select_from(Assignment))).scalar_one()
                    )

            assert await eventually(assignments, timeout=60, what="catching up after the outage") == 4
            assert (await client.get("/assignments", headers=AUTH)).status_code == 200
            dead = runtime.metrics.events_consumed.labels(topics.PLAN_RECEIVED, "dead_lettered")
            assert dead._value.get() == 0
    finally:
        set_connections(database, allowed=True)
        drop()

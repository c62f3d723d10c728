"""Fixtures: each test gets its own broker process and its own stores, never a shared one."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from dondoc.platform import processes
from dondoc.platform.kafka import ensure_topics
from shared.topics import ALL_TOPICS
from tests.support import create_pg_database, postgres_reachable

# Tansu completes a consumer-group join after about half the session timeout (5 s with Kafka's 10 s
# default). The tests shorten it for every service they start, in-process or as a process; production
# keeps Kafka's defaults.
os.environ.setdefault("KAFKA_SESSION_TIMEOUT_MS", "3000")
os.environ.setdefault("KAFKA_HEARTBEAT_INTERVAL_MS", "1000")

# No timed assertion in the suite, Hypothesis' included: its per-example deadline and its "generation too
# slow" health check fail a correct property when the machine is busy (seen under load on 2 cores).
settings.register_profile("dondoc", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dondoc")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    """A real Tansu broker on a free port with dondoc's topics, gone after the test."""
    tansu = processes.start_broker(processes.free_port(), tmp_path / "broker.log")
    try:
        asyncio.run(ensure_topics(tansu.bootstrap, ALL_TOPICS, partitions=3))
        yield tansu.bootstrap
    finally:
        tansu.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The service store under test: SQLite always, PostgreSQL when one is reachable."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store.db"
        return
    if not postgres_reachable():
        pytest.skip(
            "PostgreSQL is not reachable on 127.0.0.1:5432 (trust auth); store tests ran on SQLite only"
        )
    url, drop = create_pg_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL does (several instances on one store)."""
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (trust auth)")
    url, drop = create_pg_database()
    try:
        yield url
    finally:
        drop()

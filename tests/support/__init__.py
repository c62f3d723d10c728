"""Helpers the tests share (builders, fakes, checks, receivers); conftests hold only fixtures.

The common ones live here: the admin token, the repository's paths, real stores, running apps, the broker's
topics. The others live in modules named for what they serve (`tests.support.authz`, `tests.support.tasks`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fastapi import FastAPI

from shared.envelope import Envelope

T = TypeVar("T")
ADMIN_TOKEN = "test-admin-token-0123456789"
# The repository, its fixtures, where browser tests leave screenshots: never relative to a test file.
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def create_pg_database() -> tuple[str, Callable[[], None]]:
    """A fresh PostgreSQL database of our own, and how to drop it."""
    name = f"dondoc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql://postgres@127.0.0.1:5432/{name}", drop


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run an app's lifespan (store, broker, relay, consumers) and talk to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def eventually(probe: Callable[[], Awaitable[T | None]], timeout: float = 30.0, what: str = "") -> T:
    """Poll until `probe` returns something truthy (events take their time to flow)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what or probe}")
        await asyncio.sleep(0.1)


async def publish_raw(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def read_topic(bootstrap: str, topic: str, expect: int, timeout: float = 30.0) -> list[Envelope]:
    """Read a topic from the start (no group) until `expect` messages or the timeout."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )
    await consumer.start()
    found: list[Envelope] = []
    try:
        deadline = time.monotonic() + timeout
        while len(found) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                found.extend(Envelope.from_bytes(r.value) for r in records if r.value)
        # keep listening briefly: a duplicate published late must not go unnoticed
        extra = await consumer.getmany(timeout_ms=1000)
        for records in extra.values():
            found.extend(Envelope.from_bytes(r.value) for r in records if r.value)
    finally:
        await consumer.stop()
    return found


def wire(envelope: Envelope) -> Any:
    """An event's data as JSON, as it travelled: for asserting the wire's shape, which no model types."""
    return envelope.data

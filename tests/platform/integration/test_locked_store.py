"""A store locked by another writer answers people quickly (503 + Retry-After) while consumers keep waiting.

Tasks runs on the real broker and a real store (SQLite and PostgreSQL); another connection takes the write
lock the way a backup, a long migration or an operator's console would, and holds it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from services.tasks.app import create_app
from services.tasks.settings import TasksSettings
from tests.support import ADMIN_TOKEN, running

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# The old behaviour held each caller for SQLite's 10 s busy timeout (and PostgreSQL's, none at all).
PATIENCE_BOUND_SECONDS = 5.0


@contextlib.contextmanager
def write_lock_held(url: str) -> Iterator[None]:
    """Another connection holding the store's write lock until the block ends."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(parsed.database), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")  # the one writer's lock; readers go on (WAL)
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False)) as pg:
        pg.execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")  # every write is audited
        try:
            yield
        finally:
            pg.rollback()


async def test_a_locked_store_answers_503_with_retry_after_within_about_a_second(
    broker: str, database_url: str
) -> None:
    settings = TasksSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    async with running(create_app(settings)) as client:
        assert (await client.post("/admin/tick", headers=AUTH)).status_code == 200
        with write_lock_held(database_url):
            started = time.monotonic()
            locked = await client.post("/admin/tick", headers=AUTH)
            waited = time.monotonic() - started
        assert locked.status_code == 503, locked.text
        assert locked.headers["Retry-After"].isdigit() and "thử lại" in locked.json()["detail"]
        assert waited < PATIENCE_BOUND_SECONDS, f"the caller was held {waited:.1f} s"
        assert (await client.post("/admin/tick", headers=AUTH)).status_code == 200  # lock gone: served again

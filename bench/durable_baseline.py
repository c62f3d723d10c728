"""The durable baseline intake is measured against: bare FastAPI, the same validation, one transaction.

Served by uvicorn in its own process (`bench_intake.py` starts it). `POST /results` validates the body with
intake's own `ResultIn`, then stores it in one transaction: SQLite in WAL mode with `synchronous=FULL`, or
PostgreSQL, by `BASELINE_DATABASE_URL`. No authentication, audit, idempotency, outbox or broker.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from typing import Any

from fastapi import FastAPI

from services.intake.schemas import ResultIn

URL = os.environ.get("BASELINE_DATABASE_URL", "sqlite:///var/baseline.db")
_local = threading.local()
_sqlite: dict[str, sqlite3.Connection] = {}
_writer = threading.Lock()  # SQLite has one writer: one connection behind a lock, no busy-wait sleeps


def _connection() -> Any:
    """SQLite: one shared connection; PostgreSQL: one per worker thread (FastAPI's thread pool)."""
    conn = _sqlite.get("conn") or getattr(_local, "conn", None)
    if conn is not None:
        return conn
    if URL.startswith("sqlite:///"):
        conn = sqlite3.connect(URL.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=10000")
    else:
        import psycopg

        conn = psycopg.connect(URL, autocommit=True)
    conn.execute("CREATE TABLE IF NOT EXISTS results (id TEXT PRIMARY KEY, unit TEXT, content TEXT)")
    if isinstance(conn, sqlite3.Connection):
        _sqlite["conn"] = conn
    else:
        _local.conn = conn
    return conn


app = FastAPI()


@app.post("/results", status_code=202)
def post_result(result: ResultIn) -> dict[str, str]:
    with _writer:
        conn = _connection()
    result_id = str(uuid.uuid4())
    content = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
    if isinstance(conn, sqlite3.Connection):
        with _writer:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO results VALUES (?, ?, ?)", (result_id, result.unit, content))
            conn.execute("COMMIT")
    else:
        with conn.transaction():
            conn.execute("INSERT INTO results VALUES (%s, %s, %s)", (result_id, result.unit, content))
    return {"id": result_id, "status": "accepted"}

"""A throwaway store for a bench: a SQLite file in the run's folder, or a PostgreSQL database (dropped)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def database(kind: str, folder: Path, name: str) -> Iterator[str]:
    """The URL of a new `kind` ("sqlite" or "postgresql") store named after `name`, gone after the block."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/{name}.db"
        return
    db = f"dondoc_bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{db}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

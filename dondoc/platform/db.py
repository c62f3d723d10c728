"""Engines for a service's own store: SQLite by default, PostgreSQL in production, same code."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.platform import sqlite_inline
from dondoc.platform.bulk import as_sqlalchemy_error, connection_of, driver_of

# SQLite's statements run on the event loop's thread, without aiosqlite's hop per call (ADR 0051).
_ASYNC_DRIVERS = {"sqlite": sqlite_inline.DRIVER, "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}
# How long a statement waits for a lock another writer holds (SQLite's busy_timeout, PostgreSQL's
# lock_timeout). Consumers and the relay can wait; the HTTP path sets a short wait for its requests
# (`http_store_wait_seconds`): a person is waiting, and a 503 with Retry-After within a second serves them
# better than ten seconds of silence. Applied per connection checkout, only when it changes.
BACKGROUND_STORE_WAIT_SECONDS = 10.0
store_wait: ContextVar[float] = ContextVar("store_wait", default=BACKGROUND_STORE_WAIT_SECONDS)


def _with_driver(url: str, drivers: dict[str, str]) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database {backend!r}: use sqlite:// or postgresql://")
    return parsed.set(drivername=drivers[backend]).render_as_string(hide_password=False)


def async_url(url: str) -> str:
    """The asyncio driver URL for a plain `sqlite://` or `postgresql://` URL."""
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_url(url: str) -> str:
    """The blocking driver URL (migrations run with it)."""
    return _with_driver(url, _SYNC_DRIVERS)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (`var/` on a fresh clone)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # WAL lets the API read while the relay and consumers write; busy_timeout turns
    # lock contention into a short wait instead of "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BACKGROUND_STORE_WAIT_SECONDS * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a commit is on disk before the Kafka offset that follows it is committed. With NORMAL a power
    # loss may undo the last commits of a WAL database whose offsets the broker already holds, and those
    # events would never come again.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _lock_wait(sqlite: bool) -> Any:
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: object) -> None:
        wait_ms = int(store_wait.get() * 1000)
        if record.info.get("lock_wait_ms") == wait_ms:
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}" if sqlite else f"SET lock_timeout = {wait_ms}")
        cursor.close()
        if not sqlite:
            dbapi_connection.commit()  # a session-level SET, kept whatever the next transaction does
        record.info["lock_wait_ms"] = wait_ms

    return on_checkout


# A pooled PostgreSQL connection idle longer than this is pinged before use (a restarted or failed-over
# server has cut it); one back sooner was working a moment ago. SQLAlchemy's `pool_pre_ping` pinged on every
# checkout: a round trip through the event loop added to every write (issue 19, ADR 0100).
IDLE_BEFORE_PING_SECONDS = 1.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    dialect = engine.sync_engine.dialect

    def on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    def on_checkout(dbapi_connection: Any, record: Any, _proxy: object) -> None:
        if time.monotonic() - record.info.get("returned_at", 0.0) < IDLE_BEFORE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool drops this connection and checks out another (or a new one)
            raise DisconnectionError(f"a pooled connection failed its ping: {exc}") from exc

    event.listen(engine.sync_engine, "connect", on_connect)
    event.listen(engine.sync_engine, "checkin", on_checkin)
    event.listen(engine.sync_engine, "checkout", on_checkout)


def create_engine(url: str) -> AsyncEngine:
    """An async engine for the service's store; nothing is connected until first use."""
    ensure_sqlite_folder(url)
    if is_sqlite(url):
        # Last in, first out: the writers of a process take turns (ADR 0050), and the connection the last one
        # returned still holds its page cache; SQLite drops a connection's cache when another connection has
        # written since, so handing out the least recently used (the default) re-read every page a write
        # touched, about thirty reads a request (ADR 0124).
        engine = create_async_engine(async_url(url), pool_use_lifo=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        # Twenty kept, none beyond: with ten kept and ten more on demand, sixteen concurrent writers opened
        # and closed a connection (PostgreSQL's start-up, a few ms of CPU) for nearly every request.
        engine = create_async_engine(async_url(url), pool_size=20, max_overflow=0)
        _ping_when_idle(engine)
    event.listen(engine.sync_engine, "checkout", _lock_wait(is_sqlite(url)))
    return engine


@asynccontextmanager
async def reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for look-ups that write nothing (a key, the revoked keys, a count for a page or a metric).

    On PostgreSQL it runs outside a transaction: no `BEGIN` before the look-up and no `ROLLBACK` after it.
    psycopg answers every `ROLLBACK` by dropping the statements it prepared on that connection (`DEALLOCATE
    ALL`), so a key's look-up once a second made the writes that next took the connection parse and plan their
    statements again: half of intake's writes under load. Read committed gives each statement a fresh snapshot
    inside a transaction or out of one, so the look-ups see what they saw before.
    """
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


# Statements written with `?` placeholders, as psycopg wants them (`%s`); made once per text.
_PYFORMAT: dict[str, str] = {}


async def driver_rows(session: AsyncSession, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    """Run `sql` on the driver of the session's connection, inside its transaction, and return its rows.

    For the few statements a busy write makes (ADR 0100): SQLAlchemy's execution costs about ten times
    SQLite's own work for a statement, so these go to `sqlite3` (on the loop's thread, ADR 0051) or psycopg
    as written. `sql` uses `?` placeholders and plain values (text, numbers, bytes): no type of SQLAlchemy's
    converts them, so a statement here names only such columns. A driver error is raised as SQLAlchemy's
    (`IntegrityError`, `OperationalError`, ...), as if SQLAlchemy had run the statement.
    """
    connection = await connection_of(session)
    dialect = connection.dialect
    driver = await driver_of(connection)
    try:
        if dialect.name == "postgresql":
            text = _PYFORMAT.get(sql)
            if text is None:
                text = _PYFORMAT[sql] = sql.replace("%", "%%").replace("?", "%s")
            async with driver.cursor() as cursor:
                await cursor.execute(text, parameters)
                return list(await cursor.fetchall()) if cursor.description is not None else []
        cursor = driver.execute(sql, parameters)
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()
    except dialect.loaded_dbapi.Error as exc:
        raise as_sqlalchemy_error(dialect, sql, parameters, exc) from exc

"""SQLite for the asyncio engine without a thread per connection: each statement runs where it is awaited.

aiosqlite hands every call to its connection's own thread and wakes the event loop with the answer: a
request making thirty calls paid thirty thread hops, about 0.3 ms of CPU each on a loaded two-core
machine — most of intake's cost per write (issue 19, ADR 0051). SQLite's work itself is microseconds, and a
commit's fsync a few milliseconds, so here the standard `sqlite3` module is called directly from SQLAlchemy's
greenlet, on the event loop's thread.

The rule that keeps this safe: **a transaction that has written never waits for anything but the store**
(no broker, no HTTP, no `to_thread`) before it ends. A waiting statement blocks the event loop in SQLite's
busy handler; if the transaction holding the write lock belonged to a coroutine of this same loop, waiting
for it could only end in "database is locked". Writers of one process also take turns
(`UnitOfWork.lock_for_writing`), so within a process they never meet the lock at all.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_

DRIVER = "sqlite+dondoc_inline"


async def _answered() -> None:
    """Awaited once per statement: SQLAlchemy's `AsyncConnection.execute` insists that its driver awaited
    something (a greenlet switch and back, no trip through the event loop)."""


class _Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """What SQLAlchemy's asyncio results await after a buffered result: nothing to release here."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


class SQLiteDialectInline(SQLiteDialect_pysqlite):
    """`sqlite3` under SQLAlchemy's asyncio API: a connection pool that waits asynchronously."""

    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        await_(_answered())
        super().do_execute(cursor, statement, parameters, context)

    def do_executemany(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        await_(_answered())
        super().do_executemany(cursor, statement, parameters, context)

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        await_(_answered())
        super().do_execute_no_params(cursor, statement, context)

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        cparams.setdefault("factory", _Connection)
        cparams["check_same_thread"] = False  # made on the loop's thread; closed there or by the pool
        return super().connect(*cargs, **cparams)


registry.register(DRIVER.replace("+", "."), __name__, SQLiteDialectInline.__name__)

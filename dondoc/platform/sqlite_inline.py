"""SQLite for the asyncio engine without a thread per connection: each statement runs where it is awaited.

aiosqlite hands every call to its connection's own thread and wakes the event loop with the answer: a
request making thirty calls paid thirty thread hops, about 0.3 ms of CPU each on a loaded two-core
machine, a third of intake's CPU per write (issue 19, ADR 0051). SQLite's work itself is microseconds, so
here the standard `sqlite3` module is called directly from SQLAlchemy's greenlet, on the event loop's
thread. So is the commit, which waits for the disk (`synchronous=FULL`, a few milliseconds): it went to a
worker thread so that the loop could serve other requests meanwhile, but the worker then needed the GIL back
from a busy loop (up to the 5 ms switch interval) while the process's writer lock was held, and the hop
cost CPU besides; measured under sixteen writers, waiting on the loop gave more writes per second for
less CPU (ADR 0100). The writers of a process take turns anyway (ADR 0050): what the loop gave up was
other requests' reading and parsing during the fsync, not another write.

The rule that keeps this safe: **a transaction that has written waits for nothing but the store** (no
broker, no HTTP, no `to_thread` of its own) before it ends. A statement that finds the write lock taken
waits in SQLite's busy handler, blocking the event loop; if the holder were a coroutine of this same loop
suspended on something else, it could never finish, and the wait would end in "database is locked".
Writers of one process also take turns (`UnitOfWork.lock_for_writing`), so they seldom meet the lock.
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
        cursor.execute(statement, parameters)  # what DefaultDialect does, after the switch

    def do_executemany(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        await_(_answered())
        cursor.executemany(statement, parameters)

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        await_(_answered())
        cursor.execute(statement)

    def do_commit(self, dbapi_connection: Any) -> None:
        """On the loop's thread like every statement (see the module); a transaction that wrote nothing
        has nothing to commit."""
        if dbapi_connection.in_transaction:
            dbapi_connection.commit()

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        cparams.setdefault("factory", _Connection)
        cparams["check_same_thread"] = False  # made on the loop's thread; closed there or by the pool
        return super().connect(*cargs, **cparams)


registry.register(DRIVER.replace("+", "."), __name__, SQLiteDialectInline.__name__)

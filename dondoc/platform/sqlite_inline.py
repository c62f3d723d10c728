"""SQLite for the asyncio engine without a thread per connection: each statement runs where it is awaited.

aiosqlite hands every call to its connection's own thread and wakes the event loop with the answer: a
request making thirty calls paid thirty thread hops, about 0.3 ms of CPU each on a loaded two-core
machine, a third of intake's CPU per write (issue 19, ADR 0051). SQLite's work itself is microseconds, so
here the standard `sqlite3` module is called directly from SQLAlchemy's greenlet, on the event loop's
thread; only a commit, which waits for the disk (`synchronous=FULL`), goes to a worker thread — one hop per
transaction — so that the loop serves other requests meanwhile.

The rule that keeps this safe: **a transaction that has written waits for nothing but the store** (no
broker, no HTTP, no `to_thread` of its own) before it ends. A statement that finds the write lock taken
waits in SQLite's busy handler, blocking the event loop; if the holder were a coroutine of this same loop
suspended on something else, it could never finish, and the wait would end in "database is locked".
Writers of one process also take turns (`UnitOfWork.lock_for_writing`), so they seldom meet the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
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


_Job = tuple[Callable[[], None], asyncio.AbstractEventLoop, "asyncio.Future[None]"]


class _Committer:
    """One thread that commits, fed by a plain queue: `asyncio.to_thread` costs about four times as much
    CPU per hop (a copied context, an executor's futures, its thread accounting), and one hop is paid on
    every write. One thread suffices: the writers of a process take turns (ADR 0050), so their commits
    come one at a time; a commit that had nothing to write never comes here."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    async def commit(self, connection: sqlite3.Connection) -> None:
        if self._thread is None:
            with self._starting:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="sqlite-commit", daemon=True)
                    self._thread.start()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._jobs.put((connection.commit, loop, done))
        await done

    def _run(self) -> None:
        while True:
            commit, loop, done = self._jobs.get()
            failure: BaseException | None = None
            try:
                commit()
            except BaseException as exc:  # handed to the waiting writer, as to_thread would
                failure = exc
            self._answer(loop, done, failure)

    @staticmethod
    def _answer(
        loop: asyncio.AbstractEventLoop, done: asyncio.Future[None], exc: BaseException | None
    ) -> None:
        def settle() -> None:
            if done.cancelled():
                return
            if exc is None:
                done.set_result(None)
            else:
                done.set_exception(exc)

        # The loop may have closed while the commit ran: then nobody waits for the answer any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle)


_COMMITTER = _Committer()


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
        """A commit waits for the disk (`synchronous=FULL`): that wait is the one handed to a thread, so the
        event loop serves other requests meanwhile (still one hop per transaction, not one per statement).
        A transaction that wrote nothing has nothing to wait for, and is not sent."""
        if dbapi_connection.in_transaction:
            await_(_COMMITTER.commit(dbapi_connection))

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        cparams.setdefault("factory", _Connection)
        cparams["check_same_thread"] = False  # made on the loop's thread; closed there or by the pool
        return super().connect(*cargs, **cparams)


registry.register(DRIVER.replace("+", "."), __name__, SQLiteDialectInline.__name__)

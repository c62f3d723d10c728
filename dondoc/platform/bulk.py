"""Rows a batch writes by the hundred, through the driver's own `executemany` (ADR 0105).

SQLAlchemy's executemany builds a parameter dict for every row and runs each value through its type's
processor inside several layers of calls: about 10 µs of CPU per row, more than SQLite's own insert. Here a
table and column set gets its `INSERT` text once (per dialect), the columns' bind processors are looked up
once, and each row is a tuple handed to the driver: `sqlite3`'s `executemany` on the loop's thread (ADR
0051), psycopg's `executemany` (one pipelined round trip) on PostgreSQL. The values stored are the same as
SQLAlchemy would store: the same processors make them.

The statements run on the unit of work's own connection, inside its transaction; a driver error is raised
as SQLAlchemy's (`IntegrityError`, `OperationalError`, ...), as if SQLAlchemy had run the statement, so the
consumer's handling of duplicates and of an unavailable store sees no difference.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Processor = Callable[[Any], Any] | None


async def driver_of(connection: AsyncConnection) -> Any:
    """The driver's own connection under SQLAlchemy's: `sqlite3`'s (its cursor synchronous, on the loop's
    thread, ADR 0051) or psycopg's (its cursor asynchronous). Typed `Any`: the two have no common type.

    A connection that holds its driver's (neither closed nor invalidated) answers with attributes alone;
    `get_raw_connection()` ran a greenlet of its own for that on every call (ADR 0124).
    """
    sync = connection.sync_connection
    if sync is not None and not sync.closed and not sync.invalidated:
        return sync.connection.driver_connection
    return (await connection.get_raw_connection()).driver_connection


_CONNECTION = "dondoc.transaction_connection"


async def connection_of(session: AsyncSession) -> AsyncConnection:
    """The connection of the session's transaction, asked of SQLAlchemy once per transaction.

    `AsyncSession.connection()` runs a greenlet each time it is called (and each greenlet maps and unmaps a
    frame stack): a write that asked for it before each of its statements paid that four times (ADR 0124).
    The connection is kept in the session's `info` beside the transaction it belongs to, and given again
    only while that same transaction is active; a new transaction, or one that failed and waits for its
    rollback, asks SQLAlchemy again (which then begins it, or raises as it always did).
    """
    transaction = session.sync_session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0] is transaction and transaction.is_active:
        return cast(AsyncConnection, kept[1])
    connection = await session.connection()
    session.info[_CONNECTION] = (session.sync_session.get_transaction(), connection)
    return connection


def as_sqlalchemy_error(
    dialect: Dialect, sql: str, parameters: Sequence[Any] | None, exc: Exception
) -> DBAPIError:
    """The driver's error as SQLAlchemy raises it (`IntegrityError`, `OperationalError`, ...), so that the
    callers' handling of duplicates and of an unavailable store sees no difference."""
    # `instance` may return its argument unwrapped only for a DontWrapMixin, never for a DB-API error.
    wrapped = DBAPIError.instance(sql, parameters, exc, dialect.loaded_dbapi.Error, dialect=dialect)
    assert isinstance(wrapped, DBAPIError)
    return wrapped


@dataclass(frozen=True)
class _Made:
    """A column default made per row by a callable, then processed for the driver."""

    make: Callable[[Any], Any]
    processor: Processor

    def __call__(self) -> Any:
        return _processed(self.processor, self.make(None))


def _processed(processor: Processor, value: Any) -> Any:
    return value if processor is None else processor(value)  # a processor decides about None too


@dataclass(frozen=True)
class _Insert:
    sql: str
    copy: str  # the same rows as PostgreSQL's COPY FROM STDIN
    processors: tuple[Processor, ...]  # one per given column, None where the value goes as it is
    defaults: tuple[Any, ...]  # the omitted columns' Python-side defaults, appended to every row
    default_makers: tuple[_Made, ...]  # callables among them, called per row


# Past this many rows a transaction's tables are written one by one (COPY on PostgreSQL) rather than in one
# statement: a statement's parameters are formatted in Python, a COPY's rows in C.
_ROWS_IN_ONE_STATEMENT = 50


def _placeholder(dialect: Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _processor(column: Column[Any], dialect: Dialect) -> Processor:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


class BulkWriter:
    """Builds and runs plain multi-row statements for one dialect; keeps what it built."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._inserts: dict[tuple[Table, tuple[str, ...]], _Insert] = {}
        self._among: dict[tuple[Table, str, str, int], str] = {}

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    def _insert(self, table: Table, columns: tuple[str, ...]) -> _Insert:
        known = self._inserts.get((table, columns))
        if known is not None:
            return known
        quote = self._dialect.identifier_preparer.quote
        given = [table.c[name] for name in columns]
        scalars: list[tuple[Column[Any], Any]] = []
        makers: list[tuple[Column[Any], Callable[[Any], Any]]] = []
        for column in table.columns:
            default: Any = column.default
            if column.name in columns or default is None:
                continue
            if default.is_scalar:
                scalars.append((column, default.arg))
            elif default.is_callable:  # SQLAlchemy wrapped it to take an execution context
                makers.append((column, default.arg))
            else:  # a SQL expression or a sequence: not written here
                raise ValueError(f"{table.name}.{column.name}: only Python-side defaults are filled in")
        names = [*given, *(c for c, _ in scalars), *(c for c, _ in makers)]
        marks = ", ".join([_placeholder(self._dialect)] * len(names))
        target = self._dialect.identifier_preparer.format_table(table)
        listed = ", ".join(quote(c.name) for c in names)
        built = _Insert(
            f"INSERT INTO {target} ({listed}) VALUES ({marks})",
            f"COPY {target} ({listed}) FROM STDIN",
            tuple(_processor(c, self._dialect) for c in given),
            tuple(_processed(_processor(c, self._dialect), value) for c, value in scalars),
            tuple(_Made(make, _processor(c, self._dialect)) for c, make in makers),
        )
        self._inserts[(table, columns)] = built
        return built

    def rows(
        self, table: Table, columns: tuple[str, ...], values: Iterable[Sequence[Any]]
    ) -> tuple[str, list[Sequence[Any]]]:
        """The statement and its parameter rows for rows given as value sequences in `columns`' order."""
        insert = self._insert(table, columns)
        processed = [(i, p) for i, p in enumerate(insert.processors) if p is not None]
        tail = insert.defaults
        makers = insert.default_makers
        if not processed and not tail and not makers:
            return insert.sql, list(values)
        out: list[Sequence[Any]] = []
        for row in values:
            made = list(row)
            for i, processor in processed:  # a processor decides about None too
                made[i] = processor(made[i])
            made.extend(tail)
            made.extend([make() for make in makers])
            out.append(made)
        return insert.sql, out

    async def insert(
        self,
        connection: AsyncConnection,
        table: Table,
        columns: tuple[str, ...],
        values: Iterable[Sequence[Any]],
    ) -> None:
        """Write rows given as value sequences in `columns`' order, in the connection's transaction.

        SQLite: one `executemany`. PostgreSQL: `COPY … FROM STDIN`, whose rows psycopg formats in C, where its
        pipelined `executemany` spent ~25 µs of the consumer's CPU per row on its Python-level protocol.
        """
        sql, rows = self.rows(table, columns, values)
        if not rows:
            return
        if self._dialect.name != "postgresql":
            await self.executemany(connection, sql, rows)
            return
        copy_sql = self._inserts[(table, columns)].copy
        driver = await driver_of(connection)
        try:
            cursor = driver.cursor()
            async with cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    await copy.write_row(row)
        except self._dialect.loaded_dbapi.Error as exc:
            raise as_sqlalchemy_error(self._dialect, copy_sql, None, exc) from exc

    def value(self, column: Column[Any], value: Any) -> Any:
        """One value as the driver gets it (processed once for a column every row shares)."""
        return _processed(_processor(column, self._dialect), value)

    def claim_sql(self, table: Table) -> str:  # the inbox: (consumer, event_id, processed_at)
        """An inbox's claim: insert (consumer, each id, time) where absent and return the ids inserted.

        The ids go as one parameter (a JSON array on SQLite, an array on PostgreSQL): one statement, one
        index probe per id, whatever the batch's size. An id already there, or twice in the list, is not
        returned; on PostgreSQL an id another transaction is inserting waits for that one's end.
        """
        quote = self._dialect.identifier_preparer.quote
        target = self._dialect.identifier_preparer.format_table(table)
        consumer, event_id, at = (quote(name) for name in ("consumer", "event_id", "processed_at"))
        if self._dialect.name == "postgresql":
            source = "SELECT %s, unnest(%s::text[]), %s"
        else:  # `WHERE true`: SQLite reads an ON CONFLICT after a bare SELECT … FROM as a join's
            source = "SELECT ?1, value, ?3 FROM json_each(?2) WHERE true"
        return (
            f"INSERT INTO {target} ({consumer}, {event_id}, {at}) {source} "
            f"ON CONFLICT DO NOTHING RETURNING {event_id}"
        )

    def among_sql(self, table: Table, key: str, where: str, size: int) -> str:
        """`SELECT key FROM table WHERE where = ? AND key IN (? × size)` (PostgreSQL: `= ANY(%s)`)."""
        cache = (table, key, where, size)
        sql = self._among.get(cache)
        if sql is None:
            quote = self._dialect.identifier_preparer.quote
            mark = _placeholder(self._dialect)
            target = self._dialect.identifier_preparer.format_table(table)
            if self._dialect.name == "postgresql":
                listed = f"= ANY({mark})"
            else:
                listed = f"IN ({', '.join([mark] * size)})"
            sql = f"SELECT {quote(key)} FROM {target} WHERE {quote(where)} = {mark} AND {quote(key)} {listed}"
            self._among[cache] = sql
        return sql

    async def executemany(self, connection: AsyncConnection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run `sql` once per row on the connection's driver, in its transaction."""
        driver = await driver_of(connection)
        try:
            if self._dialect.name == "postgresql":
                async with driver.cursor() as cursor:
                    await cursor.executemany(sql, rows)
            else:
                cursor = driver.cursor()
                try:
                    cursor.executemany(sql, rows)
                finally:
                    cursor.close()
        except self._dialect.loaded_dbapi.Error as exc:
            raise as_sqlalchemy_error(self._dialect, sql, None, exc) from exc

    async def fetch_column(
        self, connection: AsyncConnection, sql: str, parameters: Sequence[Any]
    ) -> list[Any]:
        """The first column of every row `sql` returns."""
        driver = await driver_of(connection)
        try:
            if self._dialect.name == "postgresql":
                async with driver.cursor() as cursor:
                    await cursor.execute(sql, parameters)
                    return [row[0] for row in await cursor.fetchall()]
            cursor = driver.cursor()
            try:
                return [row[0] for row in cursor.execute(sql, parameters).fetchall()]
            finally:
                cursor.close()
        except self._dialect.loaded_dbapi.Error as exc:
            raise as_sqlalchemy_error(self._dialect, sql, None, exc) from exc

    def one_statement(self, parts: Sequence[tuple[Table, tuple[str, ...], Sequence[Sequence[Any]]]]) -> bool:
        """Whether `insert_together` writes these rows as one statement (PostgreSQL, a few rows)."""
        rows_in_all = sum(len(values) for _table, _columns, values in parts)
        return self._dialect.name == "postgresql" and 0 < rows_in_all <= _ROWS_IN_ONE_STATEMENT

    async def insert_together(
        self,
        connection: AsyncConnection,
        parts: Sequence[tuple[Table, tuple[str, ...], Sequence[Sequence[Any]]]],
        *,
        then_commit: bool = False,
    ) -> None:
        """Write several tables' rows (table, columns, value rows) in the connection's transaction.

        A transaction of a few rows (a request's data, audit, idempotency and outbox rows) reaches
        PostgreSQL as one statement, each table's rows a multi-row `INSERT` inside one `WITH`: one round trip,
        where a `COPY` per table took two each (ADR 0100). A batch's many rows go table by table (`insert`:
        `COPY` on PostgreSQL, `executemany` on SQLite).
        """
        parts = [(table, columns, values) for table, columns, values in parts if values]
        if not self.one_statement(parts):
            if then_commit:
                raise ValueError("only a single statement is sent with its commit")
            for table, columns, values in parts:
                await self.insert(connection, table, columns, values)
            return
        built = [self.rows(table, columns, values) for table, columns, values in parts]
        statements = []
        for sql, rows in built:
            head, _values, group = sql.rpartition(" VALUES ")
            statements.append(f"{head} VALUES {', '.join([group] * len(rows))}")
        *first, last = statements
        sql = f"WITH {', '.join(f'w{i} AS ({s})' for i, s in enumerate(first))} {last}" if first else last
        parameters = [value for _sql, rows in built for row in rows for value in row]
        driver = await driver_of(connection)
        try:
            if then_commit:  # the statement and the COMMIT in one round trip (psycopg's pipeline mode)
                async with driver.pipeline(), driver.cursor() as cursor:
                    await cursor.execute(sql, parameters)
                    await cursor.execute("COMMIT")
                return
            async with driver.cursor() as cursor:
                await cursor.execute(sql, parameters)
        except self._dialect.loaded_dbapi.Error as exc:
            raise as_sqlalchemy_error(self._dialect, sql, None, exc) from exc


_WRITERS: weakref.WeakKeyDictionary[Dialect, BulkWriter] = weakref.WeakKeyDictionary()


def bulk_writer(dialect: Dialect) -> BulkWriter:
    """The writer of an engine's dialect, kept as long as the engine (its statements are built once)."""
    writer = _WRITERS.get(dialect)
    if writer is None:
        writer = _WRITERS[dialect] = BulkWriter(dialect)
    return writer

"""Writes that follow a page's read on the same pooled PostgreSQL connection, its read ended both ways.

    .venv/bin/python bench/pg_reads_between_writes.py [pairs] [rounds]

Not part of `make bench` (PostgreSQL only, one question). A unit of work that only read ends with a COMMIT
when the server says it wrote nothing (ADR 0128); before, it ended with a ROLLBACK, which psycopg answers by
dropping every statement it prepared on the connection (`DEALLOCATE ALL`), so the next write parsed and
planned its statements again. Each round runs `pairs` (read, write) pairs on one connection, ending the reads
the old way (the baseline) and the new way in alternation, and prints the time per pair, this process's CPU
per pair, and the statements the connection holds prepared at the end.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from procstat import cpu_seconds
from sqlalchemy.orm import SessionTransaction
from sqlmodel import col, select
from stores import database

from dondoc.platform import migrations
from dondoc.platform.db import create_engine, driver_rows, reading, session_factory
from dondoc.platform.uow import UnitOfWork
from services.notify import models
from shared.events import DeadlineNear

MIGRATIONS = Path(models.__file__).parent / "migrations"


class RolledBack(UnitOfWork):
    """The unit of work as it was before ADR 0128: one that did not commit always rolls back."""

    async def _wrote_nothing(self, transaction: SessionTransaction) -> bool:
        return False


async def pairs(url: str, n: int, old: bool) -> tuple[float, float, int, float]:
    unit_of_work = RolledBack if old else UnitOfWork
    engine = create_engine(url)
    sessions = session_factory(engine)
    tables = models.PLATFORM
    try:
        async with reading(engine) as conn:  # the pool's one connection, and its server process
            backend = int((await conn.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one())
        server = cpu_seconds(backend)
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            unit = f"u{i % 134}"
            async with unit_of_work(sessions, tables, "bench") as uow:  # a page's read
                (
                    await uow.session.exec(
                        select(models.Subscription).where(col(models.Subscription.unit) == unit)
                    )
                ).all()
            async with unit_of_work(sessions, tables, "bench") as uow:  # a write: look-ups, a row, an event
                await driver_rows(uow.session, "SELECT kinds FROM subscriptions WHERE unit = ?", unit)
                await driver_rows(uow.session, "SELECT count(*) FROM notifications WHERE unit = ?", unit)
                uow.insert(
                    tables.audit_log, at=datetime.now(UTC), action="bench", outcome="accepted", status=202,
                    target=unit,
                )  # fmt: skip
                uow.emit(
                    DeadlineNear(
                        assignment_id=str(i),
                        unit=unit,
                        due=datetime.now(UTC).date(),
                        days_left=3,
                        offset_days=3,
                    ),
                    key=unit,
                )
                await uow.commit()
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        server = cpu_seconds(backend) - server
        async with reading(engine) as conn:
            held = int(
                (await conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
            )
            assert int((await conn.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one()) == backend
        return wall, used, held, server
    finally:
        await engine.dispose()


def main(n: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database("postgresql", Path(tmp), "reads") as url:
        migrations.upgrade(MIGRATIONS, url)
        asyncio.run(pairs(url, 200, old=False))  # warm-up
        figures: dict[bool, list[tuple[float, float, int, float]]] = {True: [], False: []}
        for _ in range(rounds):
            for old in (True, False):
                figures[old].append(asyncio.run(pairs(url, n, old)))
    print(f"{n} (read, write) pairs on one pooled PostgreSQL connection, {rounds} rounds in alternation")
    for old, label in ((True, "reads end in ROLLBACK (before)"), (False, "reads end in COMMIT (ADR 0128)")):
        walls = [f"{w * 1e3 / n:.2f}" for w, _c, _h, _s in figures[old]]
        cpus = [f"{c * 1e3 / n:.2f}" for _w, c, _h, _s in figures[old]]
        servers = [f"{s * 1e6 / n:.0f}" for _w, _c, _h, s in figures[old]]
        held = [h for _w, _c, h, _s in figures[old]]
        print(
            f"  {label}, by round: ms per pair {', '.join(walls)}; this process's CPU ms {', '.join(cpus)};"
        )
        print(
            f"    the server process's CPU µs per pair {', '.join(servers)}; "
            f"statements prepared at the end {held}"
        )
    for index, name in ((0, "time"), (3, "server CPU")):
        before = sorted(f[index] for f in figures[True])[rounds // 2]
        after = sorted(f[index] for f in figures[False])[rounds // 2]
        print(f"  median {name} per pair, before / after: {before / max(after, 1e-9):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)

"""Does sending a write's INSERT and its COMMIT in psycopg's pipeline (ADR 0121) pay under concurrency?

    .venv/bin/python bench/pg_commit_pipeline.py [connections] [rounds]

Not part of `make bench` (a question, not a goal): ADR 0121 measured the pipeline in one process on one
connection. Here `connections` connections (16 by default, like `bench_intake.py`'s clients) each run a
write shaped like intake's `POST /results` — two look-ups, one `WITH` statement inserting into four tables,
COMMIT — either with the INSERT and COMMIT pipelined or as a plain execute and commit, in alternating rounds.
Prints the process's CPU per transaction and the transactions per second of each round.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import uvloop
from stores import database

TABLES = ("pa", "pb", "pc", "pd")
INSERT = (
    "WITH w0 AS (INSERT INTO pa VALUES (%s, %s, %s)), w1 AS (INSERT INTO pb VALUES (%s, %s, %s)), "
    "w2 AS (INSERT INTO pc VALUES (%s, %s, %s)) INSERT INTO pd VALUES (%s, %s, %s)"
)
PER_CONNECTION = 150


async def write(conn: psycopg.AsyncConnection[tuple[object, ...]], piped: bool) -> None:
    async with conn.cursor() as cursor:
        await cursor.execute("SELECT 1 FROM pa WHERE id = %s", ("absent",))
        await cursor.fetchall()
        await cursor.execute("SELECT 2")
        await cursor.fetchall()
    parameters = [v for _ in TABLES for v in (str(uuid.uuid4()), "Văn bản số 1/UBND-VP", "x" * 200)]
    if piped:
        async with conn.pipeline(), conn.cursor() as cursor:
            await cursor.execute(INSERT, parameters)
            await cursor.execute("COMMIT")
    else:
        async with conn.cursor() as cursor:
            await cursor.execute(INSERT, parameters)
        await conn.commit()


async def measure(url: str, connections: int, rounds: int) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as setup:
        for table in TABLES:
            await setup.execute(f"CREATE TABLE {table} (id text PRIMARY KEY, a text, b text)")
    conns = [await psycopg.AsyncConnection.connect(url) for _ in range(connections)]

    async def each(conn: psycopg.AsyncConnection[tuple[object, ...]], n: int, piped: bool) -> None:
        for _ in range(n):
            await write(conn, piped)

    try:
        for piped in [True, False] * rounds:
            await asyncio.gather(*(each(c, 20, piped) for c in conns))  # warm-up
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.gather(*(each(c, PER_CONNECTION, piped) for c in conns))
            n = connections * PER_CONNECTION
            print(
                f"  {'INSERT + COMMIT pipelined' if piped else 'INSERT, then commit':<26} "
                f"CPU {(time.process_time() - cpu) * 1000 / n:.3f} ms/transaction   "
                f"{n / (time.perf_counter() - wall):6.0f} transactions/s"
            )
    finally:
        for conn in conns:
            await conn.close()


def main(connections: int, rounds: int) -> None:
    shape = f"{connections} connections × {PER_CONNECTION} writes, {rounds} rounds"
    print(f"a write's INSERT and COMMIT: {shape}")
    with tempfile.TemporaryDirectory() as tmp, database("postgresql", Path(tmp), "pipeline") as url:
        uvloop.run(measure(url, connections, rounds))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16, int(sys.argv[2]) if len(sys.argv) > 2 else 3)

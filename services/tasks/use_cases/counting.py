"""The versions of an assignment's result that can count, read from the store in a few bounded queries.

Only two kinds of version can be the one that counts (dondoc.kernel.versions): one a compiler accepted, and
— unless reviews are required — the newest one sent that was not returned (ties to the higher version).
Every other version was put forward at its arrival at most, no later than that newest one, so `counted`
over these picks what it would pick over all of them, and a result's cost does not grow with the versions
its assignment already has. One query of each kind serves a whole batch's assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select, tuple_

from dondoc.kernel.clock import as_utc
from dondoc.kernel.versions import Reviewed, reporters_of
from dondoc.platform.uow import UnitOfWork
from services.tasks.models import Assignment, metadata

Key = tuple[str, int]  # (result_id, version)
CHUNK = 300  # assignments per query: three senders each keeps the IN list bounded


@dataclass(frozen=True, slots=True)
class Sent:
    """One version of an assignment's result as `counted` weighs it, with its latest review."""

    result_id: str
    version: int
    status: str
    completed_on: date | None
    sent_at: datetime
    review: Reviewed | None


async def candidates(
    uow: UnitOfWork, rows: Sequence[Assignment], review_required: bool
) -> dict[str, dict[Key, Sent]]:
    """Assignment id → its versions that can count (sent by a unit that may report on it), for every row."""
    found: dict[str, dict[Key, Sent]] = {row.id: {} for row in rows}
    accepted, newest = _queries()
    for start in range(0, len(rows), CHUNK):
        pairs = [
            (row.id, unit) for row in rows[start : start + CHUNK] for unit in set(reporters_of(row.unit))
        ]
        for query in (accepted,) if review_required else (accepted, newest):
            for r in await uow.session.execute(query, {"senders": pairs}):
                found[r.assignment_id][(r.result_id, r.version)] = Sent(
                    r.result_id,
                    r.version,
                    r.status,
                    r.completed_on,
                    as_utc(r.submitted_at),
                    Reviewed.stored(r.decision, r.reviewed_at),
                )
    return found


async def reviews(uow: UnitOfWork, keys: Iterable[Key]) -> dict[Key, Reviewed]:
    """The latest decisions taken on these versions (kept even before their result arrived)."""
    wanted = set(keys)
    table = metadata.tables["result_reviews"]
    found: dict[Key, Reviewed] = {}
    ids = sorted({k[0] for k in wanted})
    for start in range(0, len(ids), 500):  # bounded IN lists
        query = select(table.c.result_id, table.c.version, table.c.decision, table.c.reviewed_at).where(
            table.c.result_id.in_(ids[start : start + 500])
        )
        for r in await uow.session.execute(query):
            review = Reviewed.stored(r.decision, r.reviewed_at)
            if review is not None and (r.result_id, r.version) in wanted:
                found[(r.result_id, r.version)] = review
    return found


@cache
def _queries() -> tuple[Select[Any], Select[Any]]:
    """The two look-ups, built once: the accepted versions, and the newest not returned per assignment."""
    results, decisions = metadata.tables["results"], metadata.tables["result_reviews"]
    names = ("assignment_id", "result_id", "version", "status", "completed_on", "submitted_at")
    columns = [*(results.c[name] for name in names), decisions.c.decision, decisions.c.reviewed_at]
    on = and_(decisions.c.result_id == results.c.result_id, decisions.c.version == results.c.version)
    mine = tuple_(results.c.assignment_id, results.c.unit).in_(bindparam("senders", expanding=True))
    accepted = select(*columns).select_from(results.join(decisions, on))
    accepted = accepted.where(mine, decisions.c.decision == "accepted")
    rank = func.row_number().over(
        partition_by=results.c.assignment_id,
        order_by=(results.c.submitted_at.desc(), results.c.version.desc()),
    )
    ranked = (
        select(*columns, rank.label("rank"))
        .select_from(results.outerjoin(decisions, on))
        .where(mine, or_(decisions.c.decision.is_(None), decisions.c.decision != "returned"))
        .subquery()
    )
    newest = select(*(ranked.c[c.name] for c in columns)).where(ranked.c.rank == 1)
    return accepted, newest

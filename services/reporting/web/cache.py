"""Compiled plans kept between page views, for as long as nothing they were compiled from has changed.

A city's plan takes about half a second to read and compile, and the home page shows every plan. The
key is a stamp of the whole store: the last event any projection consumed and the last review, plus the
plan's version, the scope and the day. Anything that can change a figure moves one of them (a rebuild
re-consumes every event, so it moves the stamp too). Each instance keeps its own few entries.

A plan is compiled once per state of the store: a view that asks while the same compile is under way (the
background warmer's, `warm.py`, or another viewer's) waits for it rather than compiling it again. And a
view of another period of a plan compiled at the same state reads nothing again (`kept_at`): the plan's
inputs do not depend on the period, and reading them was most of a cold view (0.35 of 0.43 s at city scale).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.platform.tables import PlatformTables
from services.reporting.models import Review

T = TypeVar("T")
Stamp = tuple[int, datetime | None, int, datetime | None]


async def store_stamp(session: AsyncSession, tables: PlatformTables) -> Stamp:
    """How many events were consumed and the last one's time, and the same of the reviews.

    Counts as well as times: instances on one store do not share a clock, and a count only grows.
    """
    processed = tables.processed
    events, last_event = (
        await session.execute(select(func.count(), func.max(processed.c.processed_at)).select_from(processed))
    ).one()
    count, last_review = (
        await session.execute(select(func.count(), func.max(col(Review.reviewed_at))).select_from(Review))
    ).one()
    return int(events), last_event, int(count), last_review


class CompiledCache(Generic[T]):
    """A small LRU of compiled plans, one per view (plan, version, scope): the store's latest state of it
    alone, as a state once passed is never asked again; with the compiles under way."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[object, tuple[object, T]] = OrderedDict()  # view → (state, compiled)
        self._compiling: dict[tuple[object, object], asyncio.Future[None]] = {}
        self.compiles = 0  # how many compiles this cache ran (tests read it)
        self.reused = 0  # how many of them took what another view had read (kept_at)
        self.warmed: Stamp | None = None  # the state of the store the warmer (warm.py) last compiled

    def __contains__(self, view: object) -> bool:
        return view in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def kept_at(self, state: object, wanted: Callable[[object], bool]) -> T | None:
        """A value kept at exactly `state` for a view `wanted` accepts, the latest used first."""
        for view, (kept_state, value) in reversed(self._entries.items()):
            if kept_state == state and wanted(view):
                self.reused += 1
                return value
        return None

    async def get(self, view: object, state: object, compile_: Callable[[], Awaitable[T]]) -> T:
        """The view compiled at `state`: kept, compiled by someone else now, or compiled here."""
        while (kept := self._entries.get(view)) is None or kept[0] != state:
            under_way = self._compiling.get((view, state))
            if under_way is None:
                return await self._compile(view, state, compile_)
            await asyncio.wait([under_way])  # then the entry is kept, or that compile failed: ours then
        self._entries.move_to_end(view)
        return kept[1]

    async def _compile(self, view: object, state: object, compile_: Callable[[], Awaitable[T]]) -> T:
        done = asyncio.get_running_loop().create_future()
        self._compiling[(view, state)] = done
        try:
            self.compiles += 1
            value = await compile_()
            # The view's earlier state is dropped: a city plan's compile is tens of MiB, a nation's hundreds.
            self._entries[view] = (state, value)
            self._entries.move_to_end(view)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
            return value
        finally:
            del self._compiling[(view, state)]
            done.set_result(None)

"""The dashboard's compiled plans kept warm: once the store has changed and settled, every plan's views are
compiled in the background, so the first viewer after a change is served from the cache (issue 19.4).

It watches the same stamp the cache is keyed on (`cache.store_stamp`), so it works whichever way the store
changed: the consumers, a review, a rebuild, another instance. It waits for one quiet beat before it
compiles, so a city plan's thousands of events are compiled once rather than once per batch; a store that
never goes quiet is compiled at least every `_MAX_BEATS` beats. What it compiles is exactly what a view
would (`routes.load_for`, same key), and a view asking meanwhile waits for that compile instead of
repeating it.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from dondoc.platform.runtime import Runtime
from services.reporting import queries
from services.reporting.context import ReportingContext
from services.reporting.web import cache, routes

log = logging.getLogger(__name__)
_MAX_BEATS = 10


class Warmer:
    """Compiles each plan's whole-plan view and its default period's view after the store changes."""

    def __init__(self, app: FastAPI, ctx: ReportingContext) -> None:
        self._app = app
        self._ctx = ctx
        self._task: asyncio.Task[None] | None = None
        self.warmed: cache.Stamp | None = None  # the state of the store last compiled

    async def start(self, runtime: Runtime) -> None:
        """Start watching, unless the setting turns it off (0)."""
        if self._ctx.settings.dashboard_warm_seconds > 0:
            self._task = asyncio.create_task(self._loop(runtime), name="dashboard-warmer")

    async def stop(self, _runtime: Runtime) -> None:
        """Stop; a compile under way is dropped (the next view compiles it)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self, runtime: Runtime) -> None:
        seen: cache.Stamp | None = None
        waited = 0
        while True:
            await asyncio.sleep(self._ctx.settings.dashboard_warm_seconds)
            try:
                stamp = await self.stamp(runtime)
                if stamp == self.warmed:
                    continue
                waited += 1
                if stamp != seen and waited < _MAX_BEATS:
                    seen = stamp  # still changing: one more beat
                    continue
                await self.run_once(runtime)
                self.warmed, waited = stamp, 0
            except Exception:  # the store is away or a plan failed to compile: the views will say so
                log.exception("dashboard warm-up failed")

    async def stamp(self, runtime: Runtime) -> cache.Stamp:
        """The store's state now."""
        async with runtime.uow() as uow:
            return await cache.store_stamp(uow.session, uow.tables)

    async def run_once(self, runtime: Runtime) -> int:
        """Compile every plan's views as they stand (kept ones are not compiled again); how many plans."""
        kept = routes.compiled(self._app)
        async with runtime.uow() as uow:
            plans = await queries.plans(uow.session)
            for plan in plans:
                for period in (routes.ALL, None):  # the home and unit pages' view, the plan page's default
                    await routes.load_for(uow, self._ctx, kept, plan, period)
        return len(plans)

"""The dashboard's compiled plans kept warm: once the store has changed and settled, every plan's views are
compiled in the background, so the first viewer after a change is served from the cache (issue 19.4).

A platform job (`dondoc/platform/jobs.py`) takes a look every `dashboard_warm_seconds`. It watches the same
stamp the cache is keyed on (`cache.store_stamp`), so it works whichever way the store changed: the
consumers, a review, a rebuild, another instance. It waits for one quiet look before it compiles, so a city
plan's thousands of events are compiled once rather than once per batch; a store that never goes quiet is
compiled at least every `_MAX_LOOKS` looks. What it compiles is exactly what a view would
(`routes.load_for`, same key), and a view asking meanwhile waits for that compile instead of repeating it.
"""

from __future__ import annotations

from dondoc.platform.jobs import Job
from dondoc.platform.runtime import Runtime
from services.reporting import queries
from services.reporting.context import ReportingContext, ReportingRuntime
from services.reporting.web import cache, routes

WARMER = "dashboard-warmer"
_MAX_LOOKS = 10


async def stamp(runtime: Runtime) -> cache.Stamp:
    """The store's state now."""
    async with runtime.uow() as uow:
        return await cache.store_stamp(uow.session, uow.tables)


class Warmer:
    """Compiles each plan's whole-plan view and its default period's view after the store changes."""

    def __init__(self, ctx: ReportingContext) -> None:
        self._ctx = ctx
        self._kept: cache.CompiledCache[routes.Loaded] | None = None
        self._seen: cache.Stamp | None = None
        self._looks = 0

    def job(self) -> Job[ReportingRuntime]:
        """The job that keeps the app's cache warm (`keep`); off when the setting is 0."""
        every = self._ctx.settings.dashboard_warm_seconds
        return Job(WARMER, every, self.look, enabled=every > 0, wait_first=True)

    def keep(self, kept: cache.CompiledCache[routes.Loaded]) -> None:
        """The cache to fill: the app's, which exists only once the app (given the job) does."""
        self._kept = kept

    async def look(self, runtime: Runtime) -> int:
        """One look at the store; how many plans it compiled (0: nothing changed, or it still changes)."""
        kept = self._kept
        assert kept is not None, "the warmer's job was never made"
        now = await stamp(runtime)
        if now == kept.warmed:
            return 0
        self._looks += 1
        if now != self._seen and self._looks < _MAX_LOOKS:
            self._seen = now  # still changing: one more look
            return 0
        compiled = await self.compile_all(runtime, kept)
        kept.warmed, self._looks = now, 0
        return compiled

    async def compile_all(self, runtime: Runtime, kept: cache.CompiledCache[routes.Loaded]) -> int:
        """Compile every plan's views as they stand (kept ones are not compiled again); how many plans."""
        async with runtime.uow() as uow:
            plans = await queries.plans(uow.session)
            for plan in plans:
                for period in (routes.ALL, None):  # the home and unit pages' view, the plan page's default
                    await routes.load_for(uow, self._ctx, kept, plan, period)
        return len(plans)

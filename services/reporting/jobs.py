"""Time passing: when every report of a period is past its deadline, the plan's submission compiles itself.

Once per (plan, period) across restarts and instances: the generated row carries a UNIQUE `auto_key`,
written in the same transaction as its report.generated outbox row, so a second instance fails on the
insert and rolls back.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from dondoc.platform.runtime import Runtime
from services.reporting import queries
from services.reporting.context import ReportingContext
from services.reporting.metrics import ReportingMetrics
from services.reporting.models import GeneratedReport
from services.reporting.use_cases import generation

log = logging.getLogger(__name__)


class Ticker:
    """Runs `run_once` every `tick_seconds` (and whenever an operator asks)."""

    def __init__(self, ctx: ReportingContext, metrics: ReportingMetrics) -> None:
        self._ctx = ctx
        self._metrics = metrics
        self._task: asyncio.Task[None] | None = None

    async def start(self, runtime: Runtime) -> None:
        """Start ticking in the background, if enabled."""
        if self._ctx.settings.ticker_enabled:
            self._task = asyncio.create_task(self._loop(runtime), name="reporting-ticker")

    async def stop(self, _runtime: Runtime) -> None:
        """Stop ticking; a generation in flight is rolled back and done by the next start."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self, runtime: Runtime) -> None:
        while True:
            try:
                await self.run_once(runtime)
            except Exception:  # the store or a render failed: say so, and try again next tick
                log.exception("reporting tick failed")
            await asyncio.sleep(self._ctx.settings.tick_seconds)

    async def run_once(self, runtime: Runtime) -> list[str]:
        """Generate what is due (report ids), then refresh the metrics."""
        today = self._ctx.today()
        generated: list[str] = []
        if self._ctx.settings.auto_generate:
            for plan_id, period_id in await self._closed(runtime, today):
                try:
                    async with runtime.uow() as uow:
                        asked = generation.ReportRequest(plan_id, period_id, as_of=today)
                        row = await generation.generate_report(uow, self._ctx, asked, trigger="period_closed")
                        await uow.commit()
                    generated.append(row.report_id)
                except IntegrityError:
                    log.info(
                        "another instance compiled it first", extra={"plan": plan_id, "period": period_id}
                    )
        async with runtime.uow() as uow:
            await self._metrics.refresh(uow.session, today)
        return generated

    async def _closed(self, runtime: Runtime, today: date) -> list[tuple[str, str]]:
        """(plan, period) pairs whose every deadline has passed and that were not compiled yet."""
        async with runtime.uow() as uow:
            keys = select(GeneratedReport.auto_key).where(col(GeneratedReport.auto_key).is_not(None))
            done = set((await uow.session.exec(keys)).all())
            due: list[tuple[str, str]] = []
            for plan in await queries.plans(uow.session):
                for period in await queries.periods(uow.session, plan.plan_id):
                    key = f"{plan.plan_id}|{period.period_id}"
                    if period.last_deadline < today and key not in done:
                        due.append((plan.plan_id, period.period_id))
        return due

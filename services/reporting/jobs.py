"""Time passing: when every report of a period is past its deadline, the plan's submission compiles itself.

Once per (plan, period) across restarts and instances: the generated row carries a UNIQUE `auto_key`,
written in the same transaction as its report.generated outbox row, so a second instance fails on the
insert and rolls back.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from dondoc.platform.jobs import Job
from dondoc.platform.runtime import Runtime
from services.reporting import queries
from services.reporting.context import ReportingContext, ReportingRuntime
from services.reporting.metrics import ReportingMetrics
from services.reporting.models import GeneratedReport
from services.reporting.use_cases import generation

log = logging.getLogger(__name__)


TICKER = "reporting-ticker"


def ticker(ctx: ReportingContext, metrics: ReportingMetrics) -> Job[ReportingRuntime]:
    """Every `tick_seconds` from the start: what is due compiled, then the metrics refreshed.

    A generation in flight at shutdown is rolled back and done by the next start. POST /admin/tick runs a
    round at once (`runtime.jobs.run_now(TICKER)`).
    """

    async def run(runtime: Runtime) -> list[str]:
        return await run_once(runtime, ctx, metrics)

    return Job(TICKER, ctx.settings.tick_seconds, run, enabled=ctx.settings.ticker_enabled)


async def run_once(runtime: Runtime, ctx: ReportingContext, metrics: ReportingMetrics) -> list[str]:
    """Generate what is due (report ids), then refresh the metrics."""
    today = ctx.today()
    generated: list[str] = []
    if ctx.settings.auto_generate:
        for plan_id, period_id in await _closed(runtime, today):
            try:
                async with runtime.uow() as uow:
                    asked = generation.ReportRequest(plan_id, period_id, as_of=today)
                    row = await generation.generate_report(uow, ctx, asked, trigger="period_closed")
                    await uow.commit()
                generated.append(row.report_id)
            except IntegrityError:
                log.info("another instance compiled it first", extra={"plan": plan_id, "period": period_id})
    async with runtime.uow() as uow:
        await metrics.refresh(uow.session, today)
    return generated


async def _closed(runtime: Runtime, today: date) -> list[tuple[str, str]]:
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

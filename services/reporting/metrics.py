"""Reporting's domain metrics: reports due, received and missing per period; submissions generated."""

from __future__ import annotations

from datetime import date

from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.models import ExpectedReportView, ReportView


class ReportingMetrics:
    """Gauges recounted from the store after each tick; the period label is bounded (a few per year)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.due = Gauge(
            "dondoc_reports_due", "Periodic reports expected, by period", ["period"], registry=registry
        )
        self.received = Gauge(
            "dondoc_reports_received", "Periodic reports received, by period", ["period"], registry=registry
        )
        self.missing = Gauge(
            "dondoc_reports_missing",
            "Periodic reports past their deadline and not received, by period",
            ["period"],
            registry=registry,
        )
        self.generated = Counter(
            "dondoc_reports_generated_total",
            "City-level submissions compiled, by trigger",
            ["trigger"],
            registry=registry,
        )
        for trigger in ("on_demand", "period_closed"):
            self.generated.labels(trigger)

    async def refresh(self, session: AsyncSession, today: date) -> None:
        """Recount expected, received and missing reports per period."""
        expected = (await session.exec(select(ExpectedReportView))).all()
        sent = {(r.unit, r.period_id, r.plan_id) for r in (await session.exec(select(ReportView))).all()}
        tally: dict[str, list[int]] = {}
        seen: set[tuple[str, str, str | None]] = set()
        for row in expected:
            key = (row.unit, row.period_id, row.plan_id)
            if key in seen:  # two obligations of one plan ask for one report
                continue
            seen.add(key)
            counts = tally.setdefault(row.period_id, [0, 0, 0])
            arrived = key in sent or (row.unit, row.period_id, None) in sent
            counts[0] += 1
            counts[1] += arrived
            counts[2] += not arrived and row.deadline < today
        for period, (due, received, missing) in tally.items():
            self.due.labels(period).set(due)
            self.received.labels(period).set(received)
            self.missing.labels(period).set(missing)

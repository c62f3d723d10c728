"""A periodic report follows the results' rule: accepting an older version makes its words the ones quoted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dondoc.kernel.clock import FixedClock
from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.reporting.app import SPEC
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.context import ReportingContext
from services.reporting.models import Review
from services.reporting.queries import load_inputs
from services.reporting.settings import ReportingSettings
from services.reporting.use_cases.generation import Scope, compile_scope
from shared.envelope import wrap
from shared.events import Event, PlanReceived, ReportExpected, ReportSubmitted, UnitRef

T0 = datetime(2026, 11, 16, 2, tzinfo=UTC)
WARD = "11407"


def _report(version: int, difficulties: str) -> ReportSubmitted:
    return ReportSubmitted(
        report_id=f"bc-{version}",
        unit=WARD,
        period_id="2026-M11",
        version=version,
        plan_id="kh",
        difficulties=difficulties,
        submitted_at=T0 + timedelta(hours=version),
    )


async def test_accepting_an_older_report_version_quotes_its_difficulties_and_not_the_newer_ones(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/reporting.db"
    migrations.upgrade(SPEC.migrations, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    events: list[Event] = [
        PlanReceived(
            plan_id="kh", title="Kế hoạch", issuer=UnitRef(text="UBND thành phố", unit="HP"), tasks=[]
        ),
        ReportExpected(
            obligation_id="o",
            unit=WARD,
            period_id="2026-M11",
            window_start=date(2026, 10, 15),
            window_end=date(2026, 11, 14),
            deadline=date(2026, 11, 16),
            plan_id="kh",
        ),
        _report(1, "Thiếu biên chế làm công tác pháp chế"),
        _report(2, "Không có."),
    ]
    try:
        for event in events:
            async with UnitOfWork(sessions, SPEC.tables, SPEC.name) as uow:
                envelope = wrap(event, source="test", correlation_id="c")
                await SUBSCRIPTIONS.bind(None)[envelope.topic](uow, envelope)
                await uow.commit()
        ctx = ReportingContext(ReportingSettings(), FixedClock.on(date(2026, 11, 20)))
        scope = Scope("kh", "2026-M11", date(2026, 10, 15), date(2026, 11, 14), date(2026, 11, 20))
        async with sessions() as session:
            inputs = await load_inputs(session, ctx, "kh")
        assert inputs is not None
        assert compile_scope(inputs, scope).difficulties == ()  # version 2 counts, and says nothing
        async with sessions() as session:
            session.add(
                Review(
                    kind="report",
                    item_id="bc-1",
                    version=1,
                    decision="accepted",
                    reviewer_key="k",
                    reviewed_at=T0 + timedelta(days=1),
                )
            )
            await session.commit()
            inputs = await load_inputs(session, ctx, "kh")
        assert inputs is not None
        quoted = [q.text for q in compile_scope(inputs, scope).difficulties]
        assert quoted == ["Thiếu biên chế làm công tác pháp chế"]
    finally:
        await engine.dispose()

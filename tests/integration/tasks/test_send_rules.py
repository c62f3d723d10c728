"""The issuing unit sets its own send-by deadline for an obligation; the calendar follows it."""

from __future__ import annotations

from datetime import date

from dondoc.platform.runtime import Runtime
from services.tasks.domain.calendar import default_calendar
from services.tasks.domain.deadlines import ReportingRule, deadline_for, rule_for
from services.tasks.domain.periods import reporting_period
from services.tasks.use_cases import obligations
from shared import topics
from shared.events import PlanTask, ReportingObligation, UnitRef
from tests.conftest import ADMIN_TOKEN
from tests.integration.tasks.helpers import app_at, envelope, plan, refs
from tests.support import eventually, publish_raw, running

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WARD = "11407"


async def test_an_obligation_with_its_own_send_by_rule_gets_its_own_deadlines(
    broker: str, tmp_path: object
) -> None:
    obligation = ReportingObligation(
        reporter=refs(["UBND phường An Biên"]),
        recipient=UnitRef(text="Sở Tư pháp", unit="HP.SO-TU-PHAP"),
        recurrence=["semiannual"],
        text="Báo cáo 6 tháng",
    )
    the_plan = plan([PlanTask(ref="1", title="Theo dõi", lead=refs(["Sở Tư pháp"]))], reporting=[obligation])
    period = reporting_period("semiannual", 2026, 1)
    calendar = default_calendar()
    own = ReportingRule(kinds=frozenset({"semiannual"}), working_days_after_cutoff=10, level="commune")
    app = app_at(broker, f"sqlite:///{tmp_path}/tasks.db", date(2026, 5, 4))
    async with running(app) as client:
        runtime: Runtime = app.state.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def listed() -> list[dict[str, object]]:
            answer = await client.get("/obligations", params={"plan_id": the_plan.plan_id}, headers=AUTH)
            return answer.json() if answer.status_code == 200 else []

        (row,) = await eventually(listed, what="the obligation")
        assert row["send_rule"] is None

        async def deadline() -> date:
            async with runtime.uow() as uow:
                owed = await obligations.reports_owed(uow, app.state.tasks, date(2026, 6, 10))
            return next(o.deadline for o in owed if o.unit == WARD and o.period.id == period.id)

        assert await deadline() == deadline_for(period, rule_for("semiannual"), "commune", calendar)
        bad = await client.put(f"/obligations/{row['obligation_id']}/send-rule", json={}, headers=AUTH)
        assert bad.status_code == 422 and "đúng một cách" in bad.json()["detail"]
        set_rule = await client.put(
            f"/obligations/{row['obligation_id']}/send-rule",
            json={"working_days_after_cutoff": 10, "level": "commune"},
            headers=AUTH,
        )
        assert set_rule.status_code == 200, set_rule.text
        assert await deadline() == deadline_for(period, own, "commune", calendar)
        assert deadline_for(period, own, "commune", calendar) != deadline_for(
            period, rule_for("semiannual"), "commune", calendar
        )

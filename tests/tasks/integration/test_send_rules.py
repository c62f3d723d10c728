"""The issuing unit sets its own send-by deadline for an obligation; the calendar follows it."""

from __future__ import annotations

from datetime import date

from dondoc.platform.runtime import Runtime
from services.tasks.domain.calendar import default_calendar
from services.tasks.domain.deadlines import Level, ReportingRule, deadline_for, rule_for
from services.tasks.domain.periods import reporting_period
from services.tasks.use_cases import obligations
from shared import topics
from shared.events import PlanTask, ReportDue, ReportExpected, ReportingObligation, UnitRef
from tests.support import ADMIN_TOKEN, eventually, publish_raw, read_topic, running
from tests.support.tasks import app_at, envelope, move_clock, outbox_drained, plan, refs

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WARD = "11407"
LEVELS: dict[str, Level] = {WARD: "commune", "HP.SO-TU-PHAP": "department"}


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
        runtime: Runtime = app.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def listed() -> list[dict[str, object]]:
            answer = await client.get("/obligations", params={"plan_id": the_plan.plan_id}, headers=AUTH)
            return answer.json() if answer.status_code == 200 else []

        (row,) = await eventually(listed, what="the obligation")
        assert row["send_rule"] is None

        async def deadline() -> date:
            async with runtime.uow() as uow:
                owed = await obligations.reports_owed(uow, app.context, date(2026, 6, 10))
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


async def test_a_send_by_rule_set_after_confirmation_announces_every_moved_deadline_again(
    broker: str, tmp_path: object
) -> None:
    """A rule set once the plan is out: report.expected gives the new deadline, report.due follows."""
    obligation = ReportingObligation(
        reporter=refs(["UBND phường An Biên", "Sở Tư pháp"]),
        recipient=UnitRef(text="Sở Tư pháp", unit="HP.SO-TU-PHAP"),
        recurrence=["semiannual"],
        text="Báo cáo 6 tháng",
    )
    the_plan = plan([PlanTask(ref="1", title="Theo dõi", lead=refs(["Sở Tư pháp"]))], reporting=[obligation])
    period = reporting_period("semiannual", 2026, 1)
    calendar = default_calendar()
    own = ReportingRule(kinds=frozenset({"semiannual"}), working_days_after_cutoff=6, level="commune")
    first = {u: deadline_for(period, rule_for("semiannual"), level, calendar) for u, level in LEVELS.items()}
    moved = {u: deadline_for(period, own, level, calendar) for u, level in LEVELS.items()}
    assert all(first[u] != moved[u] for u in LEVELS)
    app = app_at(broker, f"sqlite:///{tmp_path}/tasks.db", date(2026, 6, 1))
    async with running(app) as client:
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def listed() -> list[dict[str, object]]:
            answer = await client.get("/obligations", params={"plan_id": the_plan.plan_id}, headers=AUTH)
            return answer.json() if answer.status_code == 200 else []

        (row,) = await eventually(listed, what="the obligation")
        assert (await client.post("/admin/tick", headers=AUTH)).status_code == 200
        set_rule = await client.put(
            f"/obligations/{row['obligation_id']}/send-rule",
            json={"working_days_after_cutoff": 6, "level": "commune"},
            headers=AUTH,
        )
        assert set_rule.status_code == 200, set_rule.text
        move_clock(app, calendar.previous_working_day(min(moved.values())))
        for _ in range(2):  # a second tick announces nothing more
            assert (await client.post("/admin/tick", headers=AUTH)).status_code == 200
        await outbox_drained(app)

    announced = [
        e.payload(ReportExpected)
        for e in await read_topic(broker, topics.REPORT_EXPECTED, expect=2 * len(LEVELS))
        if e.data["period_id"] == period.id
    ]
    assert sorted((e.unit, e.deadline) for e in announced) == sorted(
        [(u, first[u]) for u in LEVELS] + [(u, moved[u]) for u in LEVELS]
    )
    due = [e.payload(ReportDue) for e in await read_topic(broker, topics.REPORT_DUE, expect=len(LEVELS))]
    assert due and all(d.deadline == moved[d.unit] for d in due)  # reminders count down to the new deadline


async def test_every_period_is_owed_from_the_plan_s_issue_date_not_from_a_look_back_window(
    broker: str, tmp_path: object
) -> None:
    obligation = ReportingObligation(
        reporter=refs(["UBND phường An Biên"]),
        recipient=UnitRef(text="Sở Tư pháp", unit="HP.SO-TU-PHAP"),
        recurrence=["monthly"],
        text="Báo cáo hằng tháng",
    )
    issued = plan([PlanTask(ref="1", title="Theo dõi", lead=refs(["Sở Tư pháp"]))], reporting=[obligation])
    issued = issued.model_copy(update={"issued_on": date(2026, 4, 2)})
    app = app_at(broker, f"sqlite:///{tmp_path}/tasks.db", date(2026, 11, 20))
    async with running(app) as client:
        runtime: Runtime = app.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(issued).to_bytes())

        async def listed() -> list[dict[str, object]]:
            answer = await client.get("/obligations", params={"plan_id": issued.plan_id}, headers=AUTH)
            return answer.json() if answer.status_code == 200 else []

        await eventually(listed, what="the obligation")
        async with runtime.uow() as uow:
            owed = await obligations.reports_owed(uow, app.context, date(2026, 11, 20))
    periods = sorted({o.period.id for o in owed if o.unit == WARD})
    # April's report (window 15/3–14/4, due after the plan) up to the windows two months ahead.
    assert periods == [f"2026-M{m:02d}" for m in range(4, 13)] + ["2027-M01", "2027-M02"]

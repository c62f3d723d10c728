"""A plan that states no reporting frequency still owes reports: the city's default calendar, on the broker.

Seed 004, the city plan, says only that units report "đảm bảo thời hạn theo quy định tại điểm 3 Mục III
Nghị quyết số 140/NQ-CP": its reporting clauses, as the parser reads them, carry no frequency. Confirmed
like that, every reporter must still owe the semi-annual period (Decree 09 window, default send-by rule)
and hear of it by report.expected; so must every unit of a plan with no reporting clause at all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dondoc.directory import load_default_directory
from services.intake.parsing import parse_document
from services.tasks.domain.calendar import default_calendar
from services.tasks.domain.deadlines import Level, deadline_for, rule_for
from services.tasks.domain.periods import reporting_period
from shared import topics
from shared.events import PlanTask, ReportExpected, ReportingObligation, UnitRef
from tests.support import ADMIN_TOKEN, eventually, publish_raw, read_topic, running
from tests.support.tasks import SEEDS, app_at, envelope, plan, refs, seed_004_tasks

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SEED_004 = SEEDS / "004_868287148acd756b.txt"


def parsed_reporting() -> list[ReportingObligation]:
    """Seed 004's reporting clauses as the parser drafts them (no recurrence: they cite a resolution)."""
    draft = parse_document(SEED_004.read_bytes(), SEED_004.name)
    found = [
        ReportingObligation(
            reporter=[UnitRef(text=u.text, unit=u.unit, group=u.group) for u in r.reporter],
            recipient=UnitRef(text=r.recipient.text, unit=r.recipient.unit, group=r.recipient.group)
            if r.recipient
            else None,
            recurrence=list(r.recurrence),
            text=r.text,
        )
        for r in draft.reporting
    ]
    assert found and all(not r.recurrence for r in found) and "140/NQ-CP" in (found[0].text or "")
    return found


async def test_the_seed_city_plan_without_a_reporting_frequency_owes_the_default_periods(
    broker: str, tmp_path: Path
) -> None:
    directory = load_default_directory()
    city = plan(seed_004_tasks(), reporting=parsed_reporting())
    city = city.model_copy(update={"number": "15/KH-UBND", "issued_on": date(2026, 4, 20)})
    task = PlanTask(ref="1", title="Rà soát văn bản", lead=refs(["UBND phường An Biên"], "11407"))
    silent = plan([task], issuer="11407").model_copy(update={"issued_on": date(2026, 4, 22)})
    assert silent.reporting == []  # a ward plan with no reporting clause at all
    reporters = set(directory.expand("G.CITY_DEPARTMENTS", "HP")) | set(directory.expand("G.COMMUNES", "HP"))
    reporters.add("HP.SO-TU-PHAP")  # the second clause: Sở Tư pháp to the ministry
    app = app_at(broker, f"sqlite:///{tmp_path}/tasks.db", date(2026, 6, 8))
    async with running(app) as client:
        for event in (city, silent):
            await publish_raw(broker, topics.PLAN_RECEIVED, envelope(event).to_bytes(), key=b"HP")

        async def both_obligations() -> bool:
            found = []
            for event in (city, silent):
                answer = await client.get("/obligations", params={"plan_id": event.plan_id}, headers=AUTH)
                found.append(answer.json() if answer.status_code == 200 else [])
            city_rows, silent_rows = found
            return (
                len(city_rows) == 2
                and len(silent_rows) == 1
                and all(row["kinds"] == ["semiannual", "annual"] for row in city_rows + silent_rows)
            )

        await eventually(both_obligations, timeout=60, what="the default calendar on both plans")
        assert (await client.post("/admin/tick", headers=AUTH)).status_code == 200
        period = reporting_period("semiannual", 2026, 1)
        calendar = default_calendar()

        async def owed() -> dict[tuple[str, str], ReportExpected]:
            # The topic may hold other tests' reports too: read what is there, keep these two plans'.
            found = await read_topic(broker, topics.REPORT_EXPECTED, expect=100_000, timeout=3)
            events = [e.payload(ReportExpected) for e in found]
            mine = {
                (e.plan_id or "", e.unit): e
                for e in events
                if e.period_id == period.id and e.plan_id in (city.plan_id, silent.plan_id)
            }
            return mine if len(mine) == len(reporters) + 1 else {}

        expected = await eventually(owed, timeout=60, what="report.expected for 2026-S1")
        city_units = {unit for plan_id, unit in expected if plan_id == city.plan_id}
        assert city_units == reporters
        assert {unit for plan_id, unit in expected if plan_id == silent.plan_id} == {"11407"}
        for (_, unit), owed_report in expected.items():
            level: Level = "commune" if unit[0].isdigit() else "department"
            assert owed_report.deadline == deadline_for(period, rule_for("semiannual"), level, calendar), unit
            window = (owed_report.window_start, owed_report.window_end)
            assert window == (period.window_start, period.window_end)

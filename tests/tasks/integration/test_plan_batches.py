"""A plan's versions in one batch assign what they assign one batch each, every column as the row says.

A first version's assignments are written as plain rows with the batch (thousands for a city plan); a
revision in the same batch must still find them, change, withdraw and add, without the batch falling back.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.consumer import Outcome
from services.tasks.app import create_app
from services.tasks.models import Assignment
from shared.events import PlanReceived, PlanTask, Timeframe, UnitRef
from tests.support.batches import Batches, batches_of
from tests.support.tasks import plan, settings

pytestmark = pytest.mark.integration
TODAY = date(2026, 6, 1)
ASSIGNMENTS = Assignment.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
WARDS = ["11407", "11411", "11413"]


def task(ref: str, due: date, *units: str) -> PlanTask:
    return PlanTask(
        ref=ref,
        title=f"Nhiệm vụ {ref}: rà soát văn bản",
        lead=[UnitRef(text=unit, unit=unit) for unit in units],
        timeframe=Timeframe(text="Trước 30/6/2026", kind="deadline", due=due),
    )


def versions(plan_id: str) -> list[PlanReceived]:
    """v1: two tasks for three wards (one already late); v2: task 1 due later, task 2 gone, task 3 new."""
    first = plan([task("1", date(2026, 6, 30), *WARDS), task("2", date(2026, 5, 1), *WARDS)], plan_id=plan_id)
    second = [task("1", date(2026, 7, 31), *WARDS), task("3", date(2026, 9, 30), "11407")]
    return [first, first.model_copy(update={"version": 2, "tasks": second})]


async def assignments(batches: Batches, plan_id: str) -> dict[str, dict[str, object]]:
    """The plan's rows by task and unit (what does not depend on when they were written)."""
    moments = {"created_at", "updated_at", "id", "plan_id"}
    columns = [c for c in ASSIGNMENTS.columns if c.name not in moments]
    query = select(*columns).where(ASSIGNMENTS.c.plan_id == plan_id)
    async with batches.uow() as uow:
        rows = [dict(r._mapping) for r in (await uow.session.execute(query)).all()]
    return {f"{row['task_ref']}/{row['unit']}": json.loads(json.dumps(row, default=str)) for row in rows}


async def test_two_versions_in_one_batch_assign_what_they_assign_one_batch_each(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings("127.0.0.1:9", database_url), clock=ShiftedClock.on(TODAY))
    async with batches_of(app.spec, database_url, caplog) as batches:
        for version in versions("apart"):
            assert await batches.handle([version]) == [Outcome.OK]
        apart = await assignments(batches, "apart")
        assert await batches.handle(versions("together")) == [Outcome.OK, Outcome.OK]
        together = await assignments(batches, "together")
        assert not batches.fell_back(), "the batch was handled again one event at a time"
    assert together == apart
    assert sorted(apart) == [f"{ref}/{unit}" for ref in "12" for unit in WARDS] + ["3/11407"]
    revised, gone, new = apart["1/11407"], apart["2/11413"], apart["3/11407"]
    assert revised["revision"] == 2 and revised["due"] == "2026-07-31" and revised["plan_version"] == 2
    assert gone["withdrawn"] is True and gone["status"] == "qua_han_chua_hoan_thanh"
    assert new == {
        "plan_version": 2,
        "task_ref": "3",
        "task_title": "Nhiệm vụ 3: rà soát văn bản",
        "unit": "11407",
        "unit_name": new["unit_name"],
        "role": "chu_tri",
        "output": None,
        "timeframe_kind": "deadline",
        "timeframe_text": "Trước 30/6/2026",
        "recurrence": [],
        "start": None,
        "due": "2026-09-30",
        "status": "dang_thuc_hien_trong_han",
        "completed_on": None,
        "result_version": 0,
        "source_text": "11407",
        "designated": False,
        "revision": 1,
        "withdrawn": False,
        "assigned_on": "2026-06-01",
    }
    assert str(new["unit_name"]).startswith("UBND")

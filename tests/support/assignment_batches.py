"""The check two services' assignment projections share: a batch builds what its events build one at a time.

A city plan's assignments reach intake's replica and reporting's read model hundreds to a batch, and the rows
first seen in a batch are written together when it commits; events about one assignment in the same batch
(assigned, revised, withdrawn, judged, in any order) must still meet in one row, without the batch falling
back. Each service's test names its spec and its table; the scenarios are here, once.
"""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlalchemy import Table, select

from dondoc.platform.consumer import Outcome
from dondoc.platform.runtime import ServiceSpec
from shared.envelope import wrap
from shared.events import Event, TaskAssigned, TaskStatusChanged, TaskWithdrawn, Timeframe
from tests.support.batches import Batches, batches_of


def assigned(assignment: str, unit: str, plan_version: int, revision: int, due: date) -> TaskAssigned:
    return TaskAssigned(
        assignment_id=assignment,
        revision=revision,
        plan_id="kh-1",
        plan_version=plan_version,
        plan_title="Kế hoạch rà soát văn bản",
        task_ref="1",
        task_title=f"Rà soát văn bản (lần {revision})",
        unit=unit,
        unit_name=f"UBND {unit}",
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=due),
    )


def events(run: str) -> list[Event]:
    """A revised twice over two plan versions; B withdrawn; C judged before its assignment arrives; D plain.

    Their assignment ids begin with `run`, so that several runs share one store and stay apart."""
    judged = {"status": "qua_han_chua_hoan_thanh", "as_of": date(2026, 6, 1)}
    done = {"status": "hoan_thanh_dung_han", "as_of": date(2026, 5, 20)}
    return [
        assigned(f"{run}A", "11407", 1, 1, date(2026, 5, 31)),
        assigned(f"{run}A", "11407", 2, 2, date(2026, 6, 30)),
        TaskStatusChanged.model_validate({"assignment_id": f"{run}A", "unit": "11407", **judged}),
        assigned(f"{run}B", "11411", 1, 1, date(2026, 5, 31)),
        TaskWithdrawn(assignment_id=f"{run}B", plan_id="kh-1", plan_version=2, unit="11411"),
        TaskStatusChanged.model_validate({"assignment_id": f"{run}C", "unit": "11413", **done}),
        assigned(f"{run}C", "11413", 1, 1, date(2026, 5, 31)),
        *(assigned(f"{run}D{i}", "11415", 1, 1, date(2026, 12, 31)) for i in range(40)),
    ]


async def rows_of(batches: Batches, table: Table, run: str = "") -> list[str]:
    """The run's rows, its prefix taken off the ids (and the time each was written left out)."""
    columns = [c for c in table.columns if c.name != "updated_at"]
    query = select(*columns).where(table.c.assignment_id.startswith(run))
    async with batches.uow() as uow:
        rows = [dict(r._mapping) for r in (await uow.session.execute(query)).all()]
    for row in rows:
        row["assignment_id"] = row["assignment_id"].removeprefix(run)
    return sorted(json.dumps(row, default=str, sort_keys=True) for row in rows)


async def one_batch_builds_what_the_events_build_one_at_a_time(
    spec: ServiceSpec, table: Table, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with batches_of(spec, database_url, caplog) as batches:
        for event in events("alone-"):
            await batches.handle([event])
        expected = await rows_of(batches, table, "alone-")
        rows = {row["assignment_id"]: row for row in map(json.loads, expected)}
        assert rows["A"]["revision"] == 2 and rows["A"]["due"] == "2026-06-30"
        assert rows["A"]["status"] == "qua_han_chua_hoan_thanh" and rows["B"]["withdrawn"] is True
        assert rows["C"]["status"] == "hoan_thanh_dung_han" and rows["C"]["unit_name"] == "UBND 11413"
        assert len(rows) == 43
        rng = random.Random(19)
        for round_ in range(3):
            run = f"together-{round_}-"
            batch = [wrap(event, source="tasks", correlation_id=run) for event in events(run)]
            if round_:
                rng.shuffle(batch)
            assert set(await batches.handle(batch)) == {Outcome.OK}
            assert await rows_of(batches, table, run) == expected, round_
            # The same batch again (a redelivery): nothing changes.
            assert set(await batches.handle(batch)) == {Outcome.DUPLICATE}
            assert await rows_of(batches, table, run) == expected
        assert not batches.fell_back(), "a batch was handled again one event at a time"


async def a_batch_updates_rows_a_former_batch_wrote(
    spec: ServiceSpec, table: Table, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with batches_of(spec, database_url, caplog) as batches:
        await batches.handle([assigned(f"E{i}", "11407", 1, 1, date(2026, 5, 31)) for i in range(10)])
        await batches.handle(
            [
                *(assigned(f"E{i}", "11407", 2, 2, date(2026, 7, 31)) for i in range(5)),
                *(assigned(f"F{i}", "11407", 2, 1, date(2026, 7, 31)) for i in range(5)),
            ]
        )
        rows = {row["assignment_id"]: row for row in map(json.loads, await rows_of(batches, table))}
        assert not batches.fell_back()
    assert len(rows) == 15
    assert {rows[f"E{i}"]["revision"] for i in range(5)} == {2}
    assert {rows[f"E{i}"]["due"] for i in range(5, 10)} == {"2026-05-31"}
    assert {rows[f"F{i}"]["plan_version"] for i in range(5)} == {2}

"""The read model does not depend on the order events arrive in: a replay rebuilds it exactly."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.reporting.app import SPEC
from services.reporting.cli import VIEWS
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.models import metadata
from shared.envelope import Envelope, wrap
from shared.events import (
    Event,
    PlanReceived,
    PlanTask,
    ReportDue,
    ReportExpected,
    ReportMissed,
    ResultSubmitted,
    TaskAssigned,
    TaskStatusChanged,
    TaskWithdrawn,
    Timeframe,
    UnitRef,
)

AT = datetime(2026, 6, 1, 2, tzinfo=UTC)
TASK = PlanTask(ref="1", title="Rà soát văn bản", timeframe=Timeframe(kind="deadline", due=date(2026, 5, 31)))


def _assigned(assignment: str, unit: str, plan_version: int, revision: int, due: date) -> TaskAssigned:
    return TaskAssigned(
        assignment_id=assignment,
        revision=revision,
        plan_id="p",
        plan_version=plan_version,
        plan_title="Kế hoạch",
        task_ref="1",
        task_title=f"Rà soát văn bản (lần {revision})",
        unit=unit,
        unit_name=unit,
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=due),
    )


def events() -> list[Event]:
    """Two plan versions; A revised, B withdrawn then given back, C withdrawn; statuses, results, reports."""
    plan = PlanReceived(plan_id="p", title="Kế hoạch", issuer=UnitRef(text="UBND", unit="HP"), tasks=[TASK])
    owed = {"obligation_id": "o", "unit": "11407", "period_id": "2026-S1", "plan_id": "p"}
    window = {"window_start": date(2025, 12, 15), "window_end": date(2026, 6, 14)}
    deadline = date(2026, 6, 15)
    return [
        plan,
        plan.model_copy(update={"version": 2, "title": "Kế hoạch (sửa đổi)"}),
        _assigned("A", "11407", 1, 1, date(2026, 5, 31)),
        _assigned("A", "11407", 2, 2, date(2026, 6, 30)),
        _assigned("B", "11411", 1, 1, date(2026, 5, 31)),
        TaskWithdrawn(assignment_id="B", plan_id="p", plan_version=2, unit="11411"),
        _assigned("B", "11411", 3, 2, date(2026, 7, 31)),
        _assigned("C", "11413", 1, 1, date(2026, 5, 31)),
        TaskWithdrawn(assignment_id="C", plan_id="p", plan_version=2, unit="11413"),
        TaskStatusChanged(
            assignment_id="A", unit="11407", status="dang_thuc_hien_trong_han", as_of=date(2026, 5, 1)
        ),
        TaskStatusChanged(
            assignment_id="A", unit="11407", status="hoan_thanh_dung_han", as_of=date(2026, 5, 20)
        ),
        *(
            ResultSubmitted(
                result_id="r",
                assignment_id="A",
                unit="11407",
                version=v,
                status="hoan_thanh",
                completed_on=date(2026, 5, 20),
                output=f"Văn bản số {v}/UBND",
                submitted_at=AT,
            )
            for v in (1, 2)
        ),
        # announced first with an earlier deadline: the later kinds' deadline stands, in any order
        ReportExpected.model_validate({**owed, **window, "deadline": date(2026, 6, 12)}),
        ReportDue.model_validate({**owed, **window, "deadline": deadline}),
        ReportMissed.model_validate({**owed, "deadline": deadline}),
        # 11411's deadline passed (12/6), then the city set a send-by rule that moved it to 19/6: announced
        # again, the newer deadline stands and the report is no longer missed, in any order of arrival
        *(
            kind.model_validate({**owed, **window, "unit": "11411", "deadline": date(2026, 6, 12)})
            for kind in (ReportExpected, ReportDue, ReportMissed)
        ),
        ReportExpected.model_validate({**owed, **window, "unit": "11411", "deadline": date(2026, 6, 19)}),
    ]


def _envelopes() -> list[Envelope]:
    """The events in the order tasks decided them, one second apart (the envelope's time says when)."""
    return [
        wrap(e, source="test", correlation_id="c").model_copy(update={"time": AT + timedelta(seconds=i)})
        for i, e in enumerate(events())
    ]


async def _apply(tmp: Path, name: str, envelopes: list[Envelope]) -> dict[str, Any]:
    url = f"sqlite:///{tmp}/{name}.db"
    migrations.upgrade(SPEC.migrations, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        for envelope in envelopes:
            async with UnitOfWork(sessions, SPEC.tables, SPEC.name) as uow:
                await SUBSCRIPTIONS.bind(None)[envelope.topic](uow, envelope)
                await uow.commit()
        found: dict[str, Any] = {}
        async with engine.connect() as conn:
            for view in VIEWS:
                table = metadata.tables[str(view.__tablename__)]
                columns = [c for c in table.columns if c.name != "updated_at"]
                rows = (await conn.execute(select(*columns))).all()
                found[table.name] = sorted(
                    json.dumps(dict(r._mapping), default=str, sort_keys=True, ensure_ascii=False)
                    for r in rows
                )
        return found
    finally:
        await engine.dispose()


async def test_every_order_of_the_same_events_builds_the_same_read_model(tmp_path: Path) -> None:
    envelopes = _envelopes()
    in_order = await _apply(tmp_path, "in-order", envelopes)
    # what the events say, in order: the newest plan, A's second revision, B given back, C withdrawn
    assert any("Kế hoạch (sửa đổi)" in row for row in in_order["plan_view"])
    rows = {row["assignment_id"]: row for row in map(json.loads, in_order["assignment_view"])}
    assert rows["A"]["status"] == "hoan_thanh_dung_han" and rows["A"]["due"] == "2026-06-30"
    assert (
        rows["B"]["withdrawn"] is False
        and rows["B"]["due"] == "2026-07-31"
        and rows["C"]["withdrawn"] is True
    )
    assert len(in_order["result_view"]) == 2
    owed = {row["unit"]: row for row in map(json.loads, in_order["expected_report_view"])}
    assert owed["11407"]["missed"] is True and owed["11407"]["window_end"] == "2026-06-14"
    assert owed["11407"]["deadline"] == "2026-06-15"
    assert owed["11411"]["deadline"] == "2026-06-19" and owed["11411"]["missed"] is False
    rng = random.Random(9)
    for round_ in range(6):
        shuffled = envelopes[:]
        rng.shuffle(shuffled)
        assert await _apply(tmp_path, f"shuffled-{round_}", shuffled) == in_order, round_


@pytest.mark.parametrize("repeat", [2])
async def test_an_event_delivered_again_changes_nothing(tmp_path: Path, repeat: int) -> None:
    envelopes = _envelopes()
    once = await _apply(tmp_path, "once", envelopes)
    assert await _apply(tmp_path, "twice", [e for e in envelopes for _ in range(repeat)]) == once

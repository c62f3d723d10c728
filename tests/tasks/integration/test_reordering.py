"""Duplicate, reordered and late events leave the tasks service in the same state as clean delivery."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from dondoc.platform import processes
from dondoc.platform.kafka import ensure_topics
from dondoc.platform.runtime import Runtime
from services.tasks.app import create_app
from services.tasks.domain.assignments import assignment_id
from services.tasks.models import Assignment
from services.tasks.settings import TasksSettings
from shared import topics
from shared.envelope import Envelope, wrap
from shared.events import PlanReceived, PlanTask, ResultSubmitted, Timeframe, UnitRef
from tests.support import eventually, publish_raw, running

pytestmark = pytest.mark.integration
PLAN_ID = str(uuid.uuid4())


def plan(version: int, coordinating: list[str]) -> Envelope:
    event = PlanReceived(
        plan_id=PLAN_ID,
        version=version,
        number="7/KH-UBND",
        title="Kế hoạch kiểm thử thứ tự",
        issuer=UnitRef(text="UBND phường An Biên", unit="11407"),
        tasks=[
            PlanTask(
                ref="1",
                title="Rà soát văn bản",
                lead=[UnitRef(text="VP", unit="11407.VP")],
                coordinating=[UnitRef(text=u, unit=u) for u in coordinating],
                timeframe=Timeframe(kind="deadline", due=date(2026, 6, 30)),
            )
        ],
    )
    return wrap(event, source="test", correlation_id="c")


def result(version: int, completed: date) -> Envelope:
    event = ResultSubmitted(
        result_id=f"r-{version}",
        assignment_id=assignment_id(PLAN_ID, "1", "11407.VP", "chu_tri"),
        unit="11407.VP",
        version=version,
        status="hoan_thanh",
        completed_on=completed,
        output=f"Văn bản số {version}/UBND-VP",
        submitted_at=datetime(2026, 7, version, tzinfo=UTC),
    )
    return wrap(event, source="test", correlation_id="c")


V1, V2 = plan(1, ["11407.KT", "11407.VHXH"]), plan(2, ["11407.KT", "11407.PVHCC"])
R1, R2 = result(1, date(2026, 7, 5)), result(2, date(2026, 6, 28))  # the correction says: done on time
CLEAN = [V1, V2, R1, R2]
MESSY = [R2, V2, R2, V1, R1, V2, V1]  # the correction first, the plan's revision before its first version


async def end_state(tmp: Path, events: list[Envelope]) -> set[tuple[str, str, str, bool]]:
    broker = processes.start_broker(processes.free_port())
    try:
        await ensure_topics(broker.bootstrap, topics.ALL_TOPICS, partitions=3)
        settings = TasksSettings(
            kafka_bootstrap=broker.bootstrap, database_url=f"sqlite:///{tmp}/tasks.db", ticker_enabled=False
        )
        app = create_app(settings)
        async with running(app):
            runtime: Runtime = app.runtime
            for envelope in events:  # one key: the order above is the order of delivery
                await publish_raw(broker.bootstrap, envelope.topic, envelope.to_bytes(), key=PLAN_ID.encode())
            consumed = runtime.metrics.events_consumed

            async def all_consumed() -> bool:
                done = sum(
                    consumed.labels(t, o)._value.get()
                    for t in (topics.PLAN_RECEIVED, topics.RESULT_SUBMITTED)
                    for o in ("ok", "duplicate")
                )
                return bool(done >= len(events))

            await eventually(all_consumed, what="every event consumed")
            async with runtime.uow() as uow:
                rows = (await uow.session.exec(select(Assignment))).all()
                return {(a.unit, a.role, a.status, a.withdrawn) for a in rows}
    finally:
        broker.stop()


async def test_reordered_duplicated_and_late_events_reach_the_state_of_clean_delivery(tmp_path: Path) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "messy").mkdir()
    clean = await end_state(tmp_path / "clean", CLEAN)
    messy = await end_state(tmp_path / "messy", MESSY)
    assert ("11407.VP", "chu_tri", "hoan_thanh_dung_han", False) in clean
    assert any(unit == "11407.VHXH" and withdrawn for unit, _, _, withdrawn in clean)
    # The assignments in force agree; clean delivery also kept the history of the unit v2 withdrew.
    assert {row for row in messy if not row[3]} == {row for row in clean if not row[3]}

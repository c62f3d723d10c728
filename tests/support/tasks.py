"""Shared pieces of the tasks service's integration tests: seed plans, settings, probes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlmodel import col

from dondoc.directory import load_default_directory
from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.app import ServiceApp
from dondoc.platform.runtime import Runtime
from services.tasks.app import create_app
from services.tasks.context import TasksContext
from services.tasks.models import Assignment
from services.tasks.settings import TasksSettings
from shared.envelope import Envelope, wrap
from shared.events import Event, PlanReceived, PlanTask, ReportingObligation, Timeframe, UnitRef
from tests.support import ADMIN_TOKEN, FIXTURES, eventually

SEEDS = FIXTURES / "seeds"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CITY = "HP"


def settings(broker: str, database_url: str, tick_seconds: float = 3600) -> TasksSettings:
    """Test settings: real broker and store, admin token, a ticker that (by default) never fires by itself."""
    return TasksSettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        consumer_retry_base_seconds=0.01,
        dondoc_admin_token=ADMIN_TOKEN,
        tick_seconds=tick_seconds,
    )


def app_at(
    broker: str, database_url: str, day: date, tick_seconds: float = 3600
) -> ServiceApp[TasksSettings, TasksContext]:
    """A tasks app whose clock stands on `day`."""
    return create_app(settings(broker, database_url, tick_seconds), clock=ShiftedClock.on(day))


async def outbox_count(app: ServiceApp, topic: str) -> int:
    """Events of a topic written to the app's outbox (published or not)."""
    runtime: Runtime = app.runtime
    outbox = runtime.spec.tables.outbox
    query = select(func.count()).select_from(outbox).where(outbox.c.topic == topic)
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


def move_clock(app: ServiceApp[TasksSettings, TasksContext], day: date) -> None:
    """Move a running app's clock (the context is read on every use)."""
    ctx: TasksContext = app.context
    ctx.clock = ShiftedClock.on(day)


def refs(texts: Sequence[str], context: str = CITY) -> list[UnitRef]:
    """Resolve plan texts with the directory's splitter, as intake would."""
    directory = load_default_directory()
    found: list[UnitRef] = []
    for text in texts:
        for r in directory.split_units(text, context):
            found.append(UnitRef(text=r.text, unit=r.unit, group=r.group))
    return found


def seed_004_tasks() -> list[PlanTask]:
    """The 17 appendix tasks of seed 004 (the city plan), units resolved by the directory."""
    gold = json.loads((SEEDS / "gold" / "004_868287148acd756b.json").read_text("utf-8"))
    return [
        PlanTask(
            ref=t["ref"],
            title=t["title"],
            lead=refs(t["lead"]),
            coordinating=refs(t["coordinating"]),
            output=t.get("output"),
            timeframe=Timeframe.model_validate(t["timeframe"]),
        )
        for t in gold["tasks"]
    ]


def plan(
    tasks: list[PlanTask],
    *,
    plan_id: str | None = None,
    version: int = 1,
    issuer: str = CITY,
    implements_plan_id: str | None = None,
    reporting: list[ReportingObligation] | None = None,
) -> PlanReceived:
    """A confirmed plan event."""
    return PlanReceived(
        plan_id=plan_id or str(uuid.uuid4()),
        version=version,
        title="Kế hoạch hành động thực hiện Nghị quyết số 66-NQ/TW",
        issuer=UnitRef(text=load_default_directory().unit(issuer).name, unit=issuer),
        implements_plan_id=implements_plan_id,
        tasks=tasks,
        reporting=reporting or [],
    )


def envelope(event: Event) -> Envelope:
    """Wrap an event as another service would publish it."""
    return wrap(event, source="test", correlation_id=str(uuid.uuid4()))


def expected_units(task: PlanTask, context: str = CITY) -> int:
    """Assignments the directory implies for a task: lead units, plus coordinating ones not leading."""
    directory = load_default_directory()

    def units(refs_: Sequence[UnitRef]) -> set[str]:
        codes: set[str] = set()
        for ref in refs_:
            if ref.unit:
                codes.add(ref.unit)
            elif ref.group:
                codes.update(directory.expand(ref.group, context))
        return codes

    lead = units(task.lead)
    return len(lead) + len(units(task.coordinating) - lead)


async def count_assignments(runtime: Runtime, plan_id: str, *, withdrawn: bool = False) -> int:
    """Assignments of a plan in the store."""
    query = (
        select(func.count())
        .select_from(Assignment)
        .where(col(Assignment.plan_id) == plan_id, col(Assignment.withdrawn).is_(withdrawn))
    )
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


def consumed(app: ServiceApp, topic: str, outcome: str) -> float:
    """The consumer counter for a topic and outcome."""
    runtime: Runtime = app.runtime
    return float(runtime.metrics.events_consumed.labels(topic, outcome)._value.get())


async def outbox_drained(app: ServiceApp) -> None:
    """Wait until the relay has published everything (stopping mid-batch may republish a batch)."""
    runtime: Runtime = app.runtime
    outbox = runtime.spec.tables.outbox
    query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))

    async def empty() -> bool:
        async with runtime.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one()) == 0

    await eventually(empty, timeout=60, what="the outbox published")


def plan_event(units: list[str], tasks: int = 2) -> Envelope:
    plan = PlanReceived(
        plan_id=str(uuid.uuid4()),
        version=1,
        number="12/KH-UBND",
        title="Kế hoạch thử nghiệm",
        issuer=UnitRef(text="UBND phường An Biên", unit="11407"),
        tasks=[
            PlanTask(
                ref=str(i),
                title=f"Nhiệm vụ {i}",
                lead=[UnitRef(text=u, unit=u) for u in units[:1]],
                coordinating=[UnitRef(text=u, unit=u) for u in units[1:]],
                timeframe=Timeframe(kind="deadline", due=date(2026, 12, 31)),
            )
            for i in range(1, tasks + 1)
        ],
    )
    return wrap(plan, source="test", correlation_id=str(uuid.uuid4()))

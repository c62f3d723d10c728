"""A one-task plan for two wards, fed to reporting's projections as its consumer would (inbox record
included), for tests of the pages and the API that need no broker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from dondoc.platform.app import ServiceApp
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.settings import ReportingSettings
from shared.envelope import wrap
from shared.events import Event, PlanReceived, PlanTask, ResultSubmitted, TaskAssigned, Timeframe, UnitRef
from tests.support import ADMIN_TOKEN

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
DUE = date(2026, 5, 31)


def small_plan() -> PlanReceived:
    """Plan "p": one task due on DUE."""
    return PlanReceived(
        plan_id="p",
        number="9/KH-UBND",
        title="Kế hoạch rà soát",
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=[PlanTask(ref="1", title="Rà soát văn bản", timeframe=Timeframe(kind="deadline", due=DUE))],
    )


def assigned(unit: str) -> TaskAssigned:
    """The plan's task, led by `unit`."""
    return TaskAssigned(
        assignment_id=f"a-{unit}",
        plan_id="p",
        plan_version=1,
        plan_title="Kế hoạch",
        task_ref="1",
        task_title="Rà soát văn bản",
        unit=unit,
        unit_name=unit,
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=DUE),
    )


def result(unit: str) -> ResultSubmitted:
    """`unit` reports its task done."""
    return ResultSubmitted(
        result_id=f"r-{unit}",
        assignment_id=f"a-{unit}",
        unit=unit,
        version=1,
        status="hoan_thanh",
        completed_on=date(2026, 5, 20),
        output="Văn bản số 1/UBND",
        submitted_at=datetime(2026, 5, 21, 2, tzinfo=UTC),
    )


async def consume(app: ServiceApp, events: list[Event]) -> None:
    """Each event through reporting's handler in a transaction of its own, as the consumer would."""
    runtime = app.runtime
    for event in events:
        envelope = wrap(event, source="test", correlation_id="c")
        async with runtime.uow() as uow:
            await SUBSCRIPTIONS.bind(None)[event.topic](uow, envelope)
            await uow.mark_processed(f"reporting.{event.topic}", envelope.id)
            await uow.commit()


def store_only(database_url: str, **settings: Any) -> ReportingSettings:
    """Reporting on `database_url` with no broker (nothing listens: pages and the API come from the store
    alone) and no ticker."""
    return ReportingSettings(
        database_url=database_url,
        kafka_bootstrap="127.0.0.1:1",
        dondoc_admin_token=ADMIN_TOKEN,
        ticker_enabled=False,
        **settings,
    )


async def sign_in(client: httpx.AsyncClient, origin: str) -> httpx.Response:
    """The administrator signs in to the dashboard (the answer: a 303 with the session cookie)."""
    return await client.post(
        "/dashboard/login", data={"key": ADMIN_TOKEN, "next": "/dashboard"}, headers={"Origin": origin}
    )

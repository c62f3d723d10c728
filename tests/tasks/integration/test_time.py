"""Time on the real broker: reminders once per offset across restarts and instances, report calendar."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from dondoc.directory import Directory, load_default_directory
from dondoc.platform.app import ServiceApp
from dondoc.platform.runtime import Runtime
from services.tasks.context import TasksContext
from services.tasks.domain.calendar import default_calendar
from services.tasks.domain.deadlines import Level, deadline_for, rule_for
from services.tasks.domain.periods import reporting_period
from services.tasks.settings import TasksSettings
from shared import topics
from shared.events import (
    DeadlineNear,
    PlanReceived,
    PlanTask,
    ReportDue,
    ReportExpected,
    ReportingObligation,
    ReportMissed,
    ReportSubmitted,
    TaskOverdue,
    Timeframe,
    UnitRef,
)
from tests.support import create_pg_database, eventually, publish_raw, read_topic, running
from tests.support.tasks import (
    AUTH,
    app_at,
    count_assignments,
    envelope,
    move_clock,
    outbox_count,
    outbox_drained,
    plan,
    refs,
)

pytestmark = pytest.mark.integration
WARD = "11407"
DUE = date(2026, 7, 3)  # a Friday: 5, 2 and 1 working days before it are 26/6, 1/7 and 2/7
OFFSETS = (5, 2, 1)  # the default: "sắp đến hạn" counted in working days


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def small_plan() -> tuple[PlanReceived, int]:
    task = PlanTask(
        ref="1",
        title="Tổ chức hội nghị quán triệt",
        lead=refs(["Văn phòng HĐND và UBND"], WARD),
        coordinating=refs(["Phòng Văn hóa - Xã hội", "Phòng Kinh tế"], WARD),
        timeframe=Timeframe(text="03/7/2026", kind="deadline", due=DUE),
    )
    return plan([task], issuer=WARD), 3


async def tick_through(
    client: httpx.AsyncClient, app: ServiceApp[TasksSettings, TasksContext], span: list[date]
) -> None:
    for day in span:
        move_clock(app, day)
        for _ in range(2):  # twice a day: the second tick finds everything already fired
            answer = await client.post("/admin/tick", headers=AUTH)
            assert answer.status_code == 200, answer.text


async def test_deadline_near_fires_once_per_offset_while_the_clock_moves_and_the_service_restarts(
    broker: str, database_url: str
) -> None:
    the_plan, units = small_plan()
    first = app_at(broker, database_url, date(2026, 6, 20))
    async with running(first) as client:
        runtime: Runtime = first.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def assigned() -> bool:
            return await count_assignments(runtime, the_plan.plan_id) == units

        await eventually(assigned, what="assignments")
        await tick_through(client, first, days(date(2026, 6, 20), date(2026, 6, 30)))
        await outbox_drained(first)
    # restarted on the same store, going over some of the same days again, its own ticker running too
    second = app_at(broker, database_url, date(2026, 6, 29), tick_seconds=0.2)
    async with running(second) as client:
        await tick_through(client, second, days(date(2026, 6, 29), date(2026, 7, 3)))
        move_clock(second, date(2026, 7, 8))  # from here on only the background ticker works

        async def overdue_noticed() -> bool:
            return await outbox_count(second, topics.TASK_OVERDUE) == units

        await eventually(overdue_noticed, what="the background ticker's overdue notices")
        await tick_through(client, second, [date(2026, 7, 9)])
        await outbox_drained(second)

    near = [e.payload(DeadlineNear) for e in await read_topic(broker, topics.DEADLINE_NEAR, expect=units * 3)]
    assert len(near) == units * len(OFFSETS)
    assert Counter(n.offset_days for n in near) == {o: units for o in OFFSETS}
    assert len({(n.assignment_id, n.offset_days) for n in near}) == len(near)
    assert all(n.due == DUE and n.working_days_left == n.offset_days for n in near)
    assert sorted({n.days_left for n in near}) == [1, 2, 7]  # the weekend of 27-28/6 is not counted
    overdue = [e.payload(TaskOverdue) for e in await read_topic(broker, topics.TASK_OVERDUE, expect=units)]
    assert len(overdue) == units and len({o.assignment_id for o in overdue}) == units


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """One PostgreSQL store shared by two instances of the service."""
    url, drop = create_pg_database()
    try:
        yield url
    finally:
        drop()


async def test_two_instances_ticking_at_once_on_one_store_do_not_double_any_event(
    broker: str, postgres_url: str
) -> None:
    the_plan, units = small_plan()
    one = app_at(broker, postgres_url, date(2026, 6, 20))
    two = app_at(broker, postgres_url, date(2026, 6, 20))
    async with AsyncExitStack() as stack:
        client_one = await stack.enter_async_context(running(one))
        client_two = await stack.enter_async_context(running(two))
        runtime: Runtime = one.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def assigned() -> bool:
            return await count_assignments(runtime, the_plan.plan_id) == units

        await eventually(assigned, what="assignments")
        ran = 0
        for day in days(date(2026, 6, 24), date(2026, 7, 7)):
            move_clock(one, day)
            move_clock(two, day)
            answers = await asyncio.gather(
                *(
                    c.post("/admin/tick", headers=AUTH)
                    for c in (client_one, client_two, client_one, client_two)
                )
            )
            assert all(a.status_code == 200 for a in answers)
            ran += sum(a.json()["ran"] for a in answers)
        assert ran >= 14  # at least one tick a day did the work
        await outbox_drained(one)
    near = [e.payload(DeadlineNear) for e in await read_topic(broker, topics.DEADLINE_NEAR, expect=units * 3)]
    assert sorted(Counter((n.assignment_id, n.offset_days) for n in near).values()) == [1] * units * len(
        OFFSETS
    )
    overdue = [e.payload(TaskOverdue) for e in await read_topic(broker, topics.TASK_OVERDUE, expect=units)]
    assert sorted(Counter(o.assignment_id for o in overdue).values()) == [1] * units


def report(unit: str, period_id: str, plan_id: str, on: datetime) -> bytes:
    event = ReportSubmitted(
        report_id=str(uuid.uuid4()),
        unit=unit,
        period_id=period_id,
        version=1,
        plan_id=plan_id,
        submitted_at=on,
    )
    return envelope(event).to_bytes()


async def test_a_semiannual_obligation_asks_the_right_units_for_the_decree_09_window_and_notes_who_missed(
    broker: str, database_url: str
) -> None:
    directory = load_default_directory()
    reporters = refs(["Các sở, ban, ngành thành phố", "UBND phường An Biên"])
    obligation = ReportingObligation(
        reporter=reporters,
        recipient=UnitRef(text="Sở Tư pháp", unit="HP.SO-TU-PHAP"),
        recurrence=["semiannual"],
        text="Báo cáo 6 tháng về Sở Tư pháp",
    )
    task = PlanTask(ref="1", title="Theo dõi thi hành pháp luật", lead=refs(["Sở Tư pháp"]))
    the_plan = plan([task], reporting=[obligation])
    units = [*directory.expand("G.CITY_DEPARTMENTS"), WARD]
    period = reporting_period("semiannual", 2026, 1)
    assert (period.id, period.window_start, period.window_end) == (
        "2026-S1",
        date(2025, 12, 15),
        date(2026, 6, 14),
    )
    calendar = default_calendar()
    deadlines = {
        u: deadline_for(period, rule_for("semiannual"), _level(directory, u), calendar) for u in units
    }
    assert deadlines[WARD] < deadlines[units[0]]  # the commune reports before the departments
    diligent = units[0]

    app = app_at(broker, database_url, date(2026, 5, 4))
    async with running(app) as client:
        runtime: Runtime = app.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(the_plan).to_bytes())

        async def assigned() -> bool:
            return await count_assignments(runtime, the_plan.plan_id) == 1

        await eventually(assigned, what="the plan")
        when = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
        await publish_raw(
            broker, topics.REPORT_SUBMITTED, report(diligent, period.id, the_plan.plan_id, when)
        )

        async def noted() -> bool:
            return (
                float(runtime.metrics.events_consumed.labels(topics.REPORT_SUBMITTED, "ok")._value.get()) >= 1
            )

        await eventually(noted, what="the report noted")
        await tick_through(client, app, days(date(2026, 6, 1), max(deadlines.values()) + timedelta(days=3)))
        await outbox_drained(app)

    others = [u for u in units if u != diligent]
    due = [e.payload(ReportDue) for e in await read_topic(broker, topics.REPORT_DUE, expect=2 * len(others))]
    assert Counter(d.unit for d in due) == {u: 2 for u in others}  # 3 and 1 working days before
    assert {(d.period_id, d.window_start, d.window_end) for d in due} == {
        ("2026-S1", date(2025, 12, 15), date(2026, 6, 14))
    }
    assert all(d.deadline == deadlines[d.unit] for d in due)
    missed = [
        e.payload(ReportMissed) for e in await read_topic(broker, topics.REPORT_MISSED, expect=len(others))
    ]
    assert sorted(m.unit for m in missed) == sorted(others)
    # Every report owed, the one already sent included, is announced once for whoever counts reports.
    owed = [
        e.payload(ReportExpected)
        for e in await read_topic(broker, topics.REPORT_EXPECTED, expect=len(units))
        if e.data["period_id"] == period.id
    ]
    assert Counter(e.unit for e in owed) == dict.fromkeys(units, 1)
    assert all(e.deadline == deadlines[e.unit] and e.plan_id == the_plan.plan_id for e in owed)


def _level(directory: Directory, unit: str) -> Level:
    kind = directory.unit(unit).kind
    return "commune" if kind in ("phuong", "xa", "dac_khu") else "department"

"""A plan that gives tasks to a unit its issuer may not address is dead-lettered by tasks, never assigned."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import select

from dondoc.platform.runtime import Runtime
from shared import topics
from shared.events import PlanTask, Timeframe, UnitRef
from tests.support import eventually, publish_raw, running
from tests.support.tasks import AUTH, app_at, count_assignments, envelope, plan

pytestmark = pytest.mark.integration


def _task(ref: str, *units: str) -> PlanTask:
    return PlanTask(
        ref=ref,
        title="Tổ chức quán triệt",
        lead=[UnitRef(text=u, unit=u) for u in units],
        timeframe=Timeframe(kind="deadline", due=date(2026, 12, 31)),
    )


async def test_a_ward_plan_naming_another_ward_is_dead_lettered_with_the_reason(
    broker: str, database_url: str
) -> None:
    app = app_at(broker, database_url, date(2026, 5, 1))
    hostile = plan([_task("1", "11411.VP"), _task("2", "11407")], issuer="11411")
    own = plan([_task("1", "11407.VP"), _task("2", "11407.VHXH")], issuer="11407")
    async with running(app) as client:
        runtime: Runtime = app.runtime
        for event in (hostile, own):
            await publish_raw(
                broker, topics.PLAN_RECEIVED, envelope(event).to_bytes(), key=event.plan_id.encode()
            )

        async def both() -> bool:
            return await count_assignments(runtime, own.plan_id) == 2

        await eventually(both, what="the ward's own plan assigned")
        dead = runtime.spec.tables.dead_letters

        async def letters() -> list[str]:
            async with runtime.engine.connect() as conn:
                return [r.error for r in (await conn.execute(select(dead.c.error, dead.c.attempts)))]

        [reason] = await eventually(letters, what="the hostile plan dead-lettered")
        assert "may not address 11407" in reason and hostile.plan_id in reason
        assert await count_assignments(runtime, hostile.plan_id) == 0
        listed = await client.get("/assignments", params={"unit": "11407"}, headers=AUTH)
        assert all(a["plan_id"] != hostile.plan_id for a in listed.json()), listed.text

        await _lists_say_their_total_and_where_the_rest_is(client)


async def _lists_say_their_total_and_where_the_rest_is(client: httpx.AsyncClient) -> None:
    first = await client.get("/assignments", params={"unit": "11407", "limit": 1}, headers=AUTH)
    assert first.status_code == 200 and len(first.json()) == 1
    assert first.headers["X-Total-Count"] == "2"
    following = first.headers["Link"].split(";")[0].strip("<>")
    second = await client.get(following, headers=AUTH)
    assert len(second.json()) == 1 and second.json() != first.json() and "Link" not in second.headers
    wrong = await client.get("/assignments", params={"plan": "x"}, headers=AUTH)
    assert wrong.status_code == 422, wrong.text
    [problem] = wrong.json()["detail"]
    assert (
        problem["field"] == "plan"
        and "plan_id" in problem["message"]
        and "không được hỗ trợ" in problem["message"]
    )
    # an offset past the database's integer range is the caller's mistake: a 422, never the store's 500
    beyond = await client.get("/assignments", params={"offset": 56720403066029058279079936}, headers=AUTH)
    assert beyond.status_code == 422, beyond.text

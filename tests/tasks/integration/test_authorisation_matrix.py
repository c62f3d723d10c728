"""Who may read and write what in the tasks service: every route, every kind of caller.

Two wards each issue a plan (a task for their Văn phòng, a task naming nobody, a semiannual report the
office owes the ward) and the city assigns a task to both. A ward sees and decides its own plan and its
offices' work, an office its own, another ward nothing of either; every refused write is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from dondoc.platform.runtime import Runtime
from services.tasks.app import create_app
from shared import topics
from shared.events import PlanReceived, PlanTask, ReportingObligation, Timeframe, UnitRef
from tests.support import eventually, publish_raw, running
from tests.support.authz import (
    NOTHING,
    SOME,
    By,
    Call,
    admin_only,
    everyone,
    issue_keys,
    signed_in,
    uncovered,
    walk,
)
from tests.support.tasks import AUTH, app_at, envelope, plan, refs

pytestmark = pytest.mark.integration
WARD, OFFICE, OTHER = "11407", "11407.VP", "11411"  # An Biên, its Văn phòng HĐND và UBND; Đông Hải
TODAY = date(2026, 6, 10)
DUE = date(2026, 5, 29)  # passed: the tick makes the offices' tasks overdue


@dataclass(frozen=True)
class Seeded:
    """Ids the matrix needs: each ward's plan, its office's assignment and obligation; the city plan."""

    ward_plan: str
    other_plan: str
    city_plan: str
    ward_assignment: str
    other_assignment: str
    ward_obligation: str
    other_obligation: str


def ward_plan(ward: str) -> PlanReceived:
    deadline = Timeframe(text="Tháng 5/2026", kind="deadline", due=DUE)
    tasks = [
        PlanTask(
            ref="1",
            title="Tổ chức hội nghị quán triệt",
            lead=refs(["Văn phòng HĐND và UBND"], ward),
            timeframe=deadline,
        ),
        PlanTask(
            ref="2",
            title="Rà soát văn bản quy phạm pháp luật của phường",
            lead=[UnitRef(text="Các cơ quan, đơn vị có liên quan")],
            timeframe=deadline,
        ),
    ]
    report = ReportingObligation(
        reporter=refs(["Văn phòng HĐND và UBND"], ward),
        recipient=UnitRef(text="UBND phường", unit=ward),
        recurrence=["semiannual"],
        text="Báo cáo 6 tháng",
    )
    return plan(tasks, issuer=ward, reporting=[report])


def matrix(s: Seeded) -> list[Call]:
    """Every route of the tasks service × every caller, in the order the calls are made."""
    send_rule = {"working_days_after_cutoff": 10, "level": "commune"}
    return [
        Call("GET", "/health", everyone(200)),
        Call("GET", "/ready", everyone(200)),
        Call("GET", "/metrics", everyone(200)),
        Call("GET", "/openapi.json", signed_in(200)),
        Call("GET", "/asyncapi.json", signed_in(200)),
        # The operators' tick is a write of the city administrator's only (and it makes the tasks overdue).
        Call("POST", "/admin/tick", admin_only(200)),
        # A unit's own list: each key sees its own work; naming another ward's code is refused.
        Call("GET", "/assignments", By(admin=SOME, ward=SOME, office=SOME, other=SOME)),
        Call("GET", "/assignments", By(admin=SOME, ward=SOME, office=403, other=403), params={"unit": WARD}),
        Call(
            "GET", "/assignments", By(admin=SOME, ward=SOME, office=SOME, other=403), params={"unit": OFFICE}
        ),
        Call("GET", "/assignments", By(admin=SOME, ward=403, office=403, other=SOME), params={"unit": OTHER}),
        Call(
            "GET",
            "/assignments",
            By(admin=SOME, ward=SOME, office=SOME, other=NOTHING),
            params={"plan_id": s.ward_plan},
        ),
        Call(
            "GET",
            "/assignments",
            By(admin=SOME, ward=NOTHING, office=NOTHING, other=SOME),
            params={"plan_id": s.other_plan},
        ),
        Call(
            "GET",
            "/assignments/{assignment_id}",
            By(admin=200, ward=200, office=200, other=404),
            {"assignment_id": s.ward_assignment},
        ),
        Call(
            "GET",
            "/assignments/{assignment_id}",
            By(admin=200, ward=404, office=404, other=200),
            {"assignment_id": s.other_assignment},
        ),
        Call(
            "GET",
            "/assignments/{assignment_id}/periods",
            By(admin=200, ward=200, office=200, other=404),
            {"assignment_id": s.ward_assignment},
        ),
        Call(
            "GET",
            "/assignments/{assignment_id}/periods",
            By(admin=200, ward=404, office=404, other=200),
            {"assignment_id": s.other_assignment},
        ),
        # A task across units: the issuer sees every unit's part, an assigned unit its own, others nothing.
        Call(
            "GET",
            "/plans/{plan_id}/tasks/{ref}/assignments",
            By(admin=200, ward=200, office=200, other=404),
            {"plan_id": s.ward_plan, "ref": "1"},
        ),
        Call(
            "GET",
            "/plans/{plan_id}/tasks/{ref}/assignments",
            By(admin=200, ward=200, office=404, other=200),
            {"plan_id": s.city_plan, "ref": "1"},
        ),
        Call(
            "GET",
            "/plans/{plan_id}/cascade",
            By(admin=200, ward=200, office=404, other=404),
            {"plan_id": s.ward_plan},
        ),
        Call(
            "GET",
            "/plans/{plan_id}/cascade",
            By(admin=200, ward=404, office=404, other=200),
            {"plan_id": s.other_plan},
        ),
        Call("GET", "/designations", By(admin=SOME, ward=SOME, office=NOTHING, other=SOME)),
        Call(
            "GET",
            "/designations",
            By(admin=SOME, ward=SOME, office=NOTHING, other=NOTHING),
            params={"plan_id": s.ward_plan},
        ),
        Call(
            "GET", "/units/{unit}/overdue", By(admin=SOME, ward=SOME, office=403, other=403), {"unit": WARD}
        ),
        Call(
            "GET",
            "/units/{unit}/overdue",
            By(admin=SOME, ward=SOME, office=SOME, other=403),
            {"unit": OFFICE},
        ),
        Call(
            "GET", "/units/{unit}/overdue", By(admin=SOME, ward=403, office=403, other=SOME), {"unit": OTHER}
        ),
        # A plan's reporting duties: for its issuer and the units that report or receive, not another ward.
        Call(
            "GET",
            "/obligations",
            By(admin=SOME, ward=SOME, office=SOME, other=NOTHING),
            params={"plan_id": s.ward_plan},
        ),
        Call(
            "GET",
            "/obligations",
            By(admin=SOME, ward=NOTHING, office=NOTHING, other=SOME),
            params={"plan_id": s.other_plan},
        ),
        # Writes: only the issuing ward (and the administrator) designates and sets send-by rules.
        Call(
            "POST",
            "/plans/{plan_id}/tasks/{ref}/designations",
            By(admin=201, ward=201, office=404, other=404),
            {"plan_id": s.ward_plan, "ref": "2"},
            json={"units": [f"{WARD}.VHXH"], "role": "chu_tri"},
        ),
        Call(
            "POST",
            "/plans/{plan_id}/tasks/{ref}/designations",
            By(admin=201, ward=404, office=404, other=201),
            {"plan_id": s.other_plan, "ref": "2"},
            json={"units": [f"{OTHER}.VHXH"], "role": "chu_tri"},
        ),
        Call(
            "PUT",
            "/obligations/{obligation_id}/send-rule",
            By(admin=200, ward=200, office=404, other=404),
            {"obligation_id": s.ward_obligation},
            json=send_rule,
        ),
        Call(
            "PUT",
            "/obligations/{obligation_id}/send-rule",
            By(admin=200, ward=404, office=404, other=200),
            {"obligation_id": s.other_obligation},
            json=send_rule,
        ),
    ]


def test_the_matrix_names_every_route_of_the_tasks_app() -> None:
    placeholder = Seeded(*(["x"] * 7))
    missing, unknown = uncovered(create_app(), matrix(placeholder))
    assert not missing, f"routes without a row in the authorisation matrix: {sorted(missing)}"
    assert not unknown, f"matrix rows for routes the app does not have: {sorted(unknown)}"


async def _seed(client: httpx.AsyncClient, broker: str) -> Seeded:
    mine, theirs = ward_plan(WARD), ward_plan(OTHER)
    city = plan(
        [
            PlanTask(
                ref="1",
                title="Tuyên truyền Nghị quyết",
                lead=refs(["UBND phường An Biên", "UBND phường Đông Hải"]),
            )
        ]
    )
    for event in (mine, theirs, city):
        await publish_raw(broker, topics.PLAN_RECEIVED, envelope(event).to_bytes())

    async def everything() -> list[dict[str, str]] | None:
        rows = (await client.get("/assignments", headers=AUTH)).json()
        return rows if len({r["plan_id"] for r in rows}) == 3 else None

    rows = await eventually(everything, what="the three plans' assignments")
    lead = {(r["plan_id"], r["unit"]): r["id"] for r in rows}

    async def obligation(plan_id: str) -> str:
        found = (await client.get("/obligations", params={"plan_id": plan_id}, headers=AUTH)).json()
        return str(found[0]["obligation_id"])

    return Seeded(
        ward_plan=mine.plan_id,
        other_plan=theirs.plan_id,
        city_plan=city.plan_id,
        ward_assignment=lead[(mine.plan_id, OFFICE)],
        other_assignment=lead[(theirs.plan_id, f"{OTHER}.VP")],
        ward_obligation=await obligation(mine.plan_id),
        other_obligation=await obligation(theirs.plan_id),
    )


async def test_each_caller_reads_and_writes_only_what_it_acts_for(broker: str, database_url: str) -> None:
    app = app_at(broker, database_url, TODAY)
    async with running(app) as client:
        runtime: Runtime = app.runtime
        keys = await issue_keys(broker, runtime, ward=WARD, office=OFFICE, other=OTHER)
        seeded = await _seed(client, broker)
        problems = await walk(client, runtime, keys, matrix(seeded))
    assert not problems, "\n".join(problems)

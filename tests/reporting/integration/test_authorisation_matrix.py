"""Who may see and compile what in the reporting service: every route, every kind of caller.

The city issues a plan whose reports go to Sở Tư pháp, given to two wards; a ward issues its own plan,
given to its Văn phòng. City-level figures are for the administrator, the issuer and the recipient; a
ward sees its own lines; another ward nothing; every refused write is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.auth import issue_key
from dondoc.platform.runtime import Runtime
from services.reporting.app import create_app
from services.reporting.settings import ReportingSettings
from shared import topics
from shared.events import (
    CredentialChanged,
    Event,
    PlanReceived,
    PlanTask,
    ReportDue,
    ReportingObligation,
    ReportSubmitted,
    ResultSubmitted,
    TaskAssigned,
    Timeframe,
    UnitRef,
)
from tests.support import ADMIN_TOKEN, eventually, publish_raw, running
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
from tests.support.tasks import AUTH, envelope

pytestmark = pytest.mark.integration
WARD, OFFICE, OTHER, SOTP = "11407", "11407.VP", "11411", "HP.SO-TU-PHAP"
DUE = date(2026, 5, 31)
AT = datetime(2026, 5, 20, 3, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    """The city plan and the ward's plan, one result on each, and a generated report of each."""

    city: str
    ward: str
    city_result: str
    ward_result: str
    city_report: str
    ward_report: str


def _plan(issuer: str, recipient: str) -> PlanReceived:
    return PlanReceived(
        plan_id=str(uuid.uuid4()),
        title=f"Kế hoạch của {issuer}",
        issuer=UnitRef(text=issuer, unit=issuer),
        tasks=[PlanTask(ref="1", title="Rà soát văn bản", timeframe=Timeframe(kind="deadline", due=DUE))],
        reporting=[ReportingObligation(reporter=[], recipient=UnitRef(text=recipient, unit=recipient))],
    )


def _assigned(plan: PlanReceived, unit: str) -> TaskAssigned:
    return TaskAssigned(
        assignment_id=f"{plan.plan_id}:{unit}",
        plan_id=plan.plan_id,
        plan_version=1,
        plan_title=plan.title,
        task_ref="1",
        task_title="Rà soát văn bản",
        unit=unit,
        unit_name=unit,
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=DUE),
    )


def _result(plan: PlanReceived, unit: str) -> ResultSubmitted:
    return ResultSubmitted(
        result_id=str(uuid.uuid4()),
        assignment_id=f"{plan.plan_id}:{unit}",
        unit=unit,
        version=1,
        status="hoan_thanh",
        completed_on=date(2026, 5, 15),
        output="Văn bản số 12/UBND-VP",
        submitted_at=AT,
    )


def matrix(s: Seeded) -> list[Call]:
    """Every route of the reporting service × every caller, in the order the calls are made."""
    city, ward = {"plan_id": s.city}, {"plan_id": s.ward}
    period = {"period": "2026-S1"}
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    city_only = By(admin=200, ward=404, office=404, other=404)
    issuer = By(admin=200, ward=200, office=404, other=404)
    return [
        Call("GET", "/health", everyone(200)),
        Call("GET", "/ready", everyone(200)),
        Call("GET", "/metrics", everyone(200)),
        Call("GET", "/openapi.json", signed_in(200)),
        Call("GET", "/asyncapi.json", signed_in(200)),
        Call("GET", "/static/{file}", everyone(200), {"file": "dashboard.css"}),
        Call("GET", "/plans", By(admin=SOME, ward=SOME, office=NOTHING, other=NOTHING)),
        Call("GET", "/plans/{plan_id}/periods", city_only, city),
        Call("GET", "/plans/{plan_id}/periods", issuer, ward),
        Call("GET", "/plans/{plan_id}/submission", city_only, city, params=period),
        Call("GET", "/plans/{plan_id}/submission", issuer, ward, params=year),
        # A unit's own lines: the unit itself, or whoever compiles the plan.
        Call("GET", "/plans/{plan_id}/units/{unit}", issuer, {**city, "unit": WARD}),
        Call("GET", "/plans/{plan_id}/units/{unit}", By(200, 200, 200, 404), {**ward, "unit": OFFICE}),
        Call("GET", "/plans/{plan_id}/reviews", By(admin=SOME, ward=404, office=404, other=404), city),
        Call("GET", "/plans/{plan_id}/reviews", By(admin=SOME, ward=SOME, office=404, other=404), ward),
        Call("GET", "/reports", By(admin=SOME, ward=404, office=404, other=404), params=city),
        Call("GET", "/reports", By(admin=SOME, ward=SOME, office=404, other=404), params=ward),
        Call("GET", "/reports/{report_id}", city_only, {"report_id": s.city_report}),
        Call("GET", "/reports/{report_id}", issuer, {"report_id": s.ward_report}),
        Call("GET", "/reports/{report_id}/inputs", city_only, {"report_id": s.city_report}),
        Call(
            "GET",
            "/reports/{report_id}/document.{fmt}",
            city_only,
            {"report_id": s.city_report, "fmt": "xlsx"},
        ),
        Call(
            "GET", "/reports/{report_id}/document.{fmt}", issuer, {"report_id": s.ward_report, "fmt": "json"}
        ),
        # Writes: compiling and reviewing are the compiler's; the ward reviews its own office's result.
        Call(
            "POST",
            "/reports",
            By(admin=201, ward=404, office=404, other=404),
            json={**city, "period_id": "2026-S1"},
        ),
        Call(
            "POST",
            "/reports",
            By(admin=201, ward=201, office=404, other=404),
            json={**ward, "period_start": "2026-01-01", "period_end": "2026-12-31"},
        ),
        Call(
            "POST",
            "/reviews",
            By(admin=201, ward=403, office=403, other=403),
            json={"kind": "result", "item_id": s.city_result, "version": 1, "decision": "accepted"},
        ),
        Call(
            "POST",
            "/reviews",
            # the ward decides first; the administrator's same decision then finds it made (200)
            By(admin=200, ward=201, office=403, other=403),
            json={"kind": "result", "item_id": s.ward_result, "version": 1, "decision": "accepted"},
        ),
        Call("POST", "/admin/tick", admin_only(200)),
    ]


# The dashboard signs people in with a session cookie, not a key: its matrix (every page by the
# administrator, a ward, another ward, no session, a revoked key, forged forms) is in test_dashboard_browser.
BROWSER = ("/dashboard",)


def test_the_matrix_names_every_route_of_the_reporting_app() -> None:
    missing, unknown = uncovered(create_app(), matrix(Seeded(*(["x"] * 6))))
    missing = {(method, path) for method, path in missing if not path.startswith(BROWSER)}
    assert not missing, f"routes without a row in the authorisation matrix: {sorted(missing)}"
    assert not unknown, f"matrix rows for routes the app does not have: {sorted(unknown)}"


async def _publish(broker: str, events: list[Event]) -> None:
    for event in events:
        await publish_raw(broker, event.topic, envelope(event).to_bytes())


async def _seed(client: httpx.AsyncClient, broker: str) -> Seeded:
    city, ward = _plan("HP", SOTP), _plan(WARD, WARD)
    city_result, ward_result, other_result = _result(city, WARD), _result(ward, OFFICE), _result(city, OTHER)
    due = ReportDue(
        obligation_id="o",
        unit=WARD,
        period_id="2026-S1",
        window_start=date(2025, 12, 15),
        window_end=date(2026, 6, 14),
        deadline=date(2026, 6, 15),
        plan_id=city.plan_id,
    )
    sent = ReportSubmitted(
        report_id="r", unit=WARD, period_id="2026-S1", version=1, plan_id=city.plan_id, submitted_at=AT
    )
    await _publish(
        broker,
        [
            city,
            ward,
            _assigned(city, WARD),
            _assigned(city, OTHER),
            _assigned(ward, OFFICE),
            city_result,
            ward_result,
            other_result,
            due,
            sent,
        ],
    )

    async def arrived() -> bool:
        reviews = (await client.get(f"/plans/{city.plan_id}/reviews", headers=AUTH)).json()
        periods = (await client.get(f"/plans/{city.plan_id}/periods", headers=AUTH)).json()
        return len(reviews) == 3 and len(periods) == 1

    await eventually(arrived, what="the plans, results and report in the read model")
    made = [
        await client.post("/reports", headers=AUTH, json={"plan_id": city.plan_id, "period_id": "2026-S1"}),
        await client.post(
            "/reports",
            headers=AUTH,
            json={"plan_id": ward.plan_id, "period_start": "2026-01-01", "period_end": "2026-12-31"},
        ),
    ]
    assert [m.status_code for m in made] == [201, 201], [m.text for m in made]
    return Seeded(
        city.plan_id,
        ward.plan_id,
        city_result.result_id,
        ward_result.result_id,
        made[0].json()["report_id"],
        made[1].json()["report_id"],
    )


async def test_each_caller_sees_and_compiles_only_what_it_may(broker: str, database_url: str) -> None:
    settings = ReportingSettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        dondoc_admin_token=ADMIN_TOKEN,
        ticker_enabled=False,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    async with running(app) as client:
        runtime: Runtime = app.runtime
        keys = await issue_keys(broker, runtime, ward=WARD, office=OFFICE, other=OTHER)
        seeded = await _seed(client, broker)
        problems = await walk(client, runtime, keys, matrix(seeded))
        # A malformed write by a known key is refused (422, in Vietnamese) and audited with that key.
        bad = await client.post(
            "/reviews", headers=keys.headers["ward"], json={"kind": "result", "version": 0}
        )
        assert bad.status_code == 422 and any(d["field"] == "item_id" for d in bad.json()["detail"])
        audit = runtime.spec.tables.audit_log
        last = select(audit.c.key_id, audit.c.outcome, audit.c.status).order_by(audit.c.id.desc()).limit(1)
        async with runtime.engine.connect() as conn:
            assert tuple((await conn.execute(last)).one()) == (keys.key_ids["ward"], "refused", 422)
        # The plan's recipient compiles it: Sở Tư pháp sees the city plan, not the ward's.
        key = issue_key()
        granted = CredentialChanged(
            key_id=key.key_id, unit=SOTP, role="unit", secret_hash=key.secret_hash, created_at=AT
        )
        await publish_raw(broker, topics.CREDENTIAL_CHANGED, envelope(granted).to_bytes())
        sotp = {"Authorization": f"Bearer {key.token}"}

        async def replicated() -> bool:
            return (await client.get("/plans", headers=sotp)).status_code == 200

        await eventually(replicated, what="Sở Tư pháp's key")
        assert [p["plan_id"] for p in (await client.get("/plans", headers=sotp)).json()] == [seeded.city]
        city_view = await client.get(
            f"/plans/{seeded.city}/submission", headers=sotp, params={"period": "2026-S1"}
        )
        assert city_view.status_code == 200 and city_view.json()["reporting"]["city"]["received"] == 1
        assert (await client.get(f"/plans/{seeded.ward}/periods", headers=sotp)).status_code == 404
    assert not problems, "\n".join(problems)

"""Intake's retries and versions against a real broker and both stores: a retry answers the first answer
and creates nothing new; a result's versions are numbered once each, through a report too (ADR 0100)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func
from sqlmodel import select

from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.models import ResultRecord
from services.intake.settings import IntakeSettings
from tests.support import ADMIN_TOKEN, running
from tests.support.intake import scenarios as s


def test_retries_answer_the_first_answer_and_versions_are_numbered_once(
    broker: str, database_url: str
) -> None:
    settings = IntakeSettings(
        kafka_bootstrap=broker, database_url=database_url, dondoc_admin_token=ADMIN_TOKEN
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with running(app) as client:
            runtime: Runtime = app.runtime
            await s.tasks_has_assigned_and_expects(broker, runtime)
            ward = s.bearer(await s.issue(client, s.bearer(ADMIN_TOKEN), s.WARD))
            await _retries_are_idempotent(client, runtime, ward)
            await _results_are_numbered_once_each_and_replayed(client, runtime, ward)

    asyncio.run(scenario())


async def _retries_are_idempotent(client: httpx.AsyncClient, runtime: Runtime, ward: dict[str, str]) -> None:
    headers = ward | {"Idempotency-Key": "retry-1"}
    before = await s.count_plans(runtime)
    first = await client.post("/plans", json=s.plan_for(s.WARD), headers=headers)
    again = await client.post("/plans", json=s.plan_for(s.WARD), headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert await s.count_plans(runtime) == before + 1
    other_body = await client.post("/plans", json=s.plan_for(s.WARD, title="Kế hoạch khác"), headers=headers)
    assert other_body.status_code == 422 and "Idempotency-Key" in other_body.json()["detail"]


async def _results_are_numbered_once_each_and_replayed(
    client: httpx.AsyncClient, runtime: Runtime, ward: dict[str, str]
) -> None:
    """A result's rows are written at commit (ADR 0100): a retry still answers the first answer, and a
    report carrying two results on one assignment numbers them one after the other."""
    result = {"assignment_id": "a-1", "unit": s.WARD, "status": "dang_thuc_hien", "output": "Báo cáo số 1"}
    headers = ward | {"Idempotency-Key": "result-retry-1"}
    first = await client.post("/results", json=result, headers=headers)
    again = await client.post("/results", json=result, headers=headers)
    assert first.status_code == again.status_code == 202, first.text
    assert first.json() == again.json() and again.headers.get("Idempotent-Replayed") == "true"
    stored = await client.get(f"/results/{first.json()['id']}", headers=ward)
    assert stored.json()["content"]["output"] == "Báo cáo số 1"
    assert stored.json()["version"] == first.json()["version"]
    assert uuid.UUID(first.json()["id"]).version == 7  # ids sort by time (ADR 0125)
    report = {"unit": s.WARD, "period_id": "2026-S1", "results": [result, result | {"output": "Số 2"}]}
    sent = await client.post("/reports", json=report, headers=ward)
    assert sent.status_code == 202, sent.text
    assert uuid.UUID(sent.json()["id"]).version == 7
    async with runtime.uow() as uow:
        versions = (
            await uow.session.exec(select(ResultRecord.version).where(ResultRecord.assignment_id == "a-1"))
        ).all()
        audited = (
            await uow.session.execute(
                select(func.count()).where(
                    runtime.spec.tables.audit_log.c.idempotency_key == "result-retry-1",
                    runtime.spec.tables.audit_log.c.key_id.is_not(None),
                )
            )
        ).scalar_one()
    assert sorted(versions) == list(range(1, len(versions) + 1)), versions
    assert max(versions) == first.json()["version"] + 2
    assert audited == 1  # the retry answered from the record, audited once, with who wrote

"""Tasks and notify follow the directory intake's administrator changes, on the broker, across a restart.

Intake, tasks and notify run in-process on one Tansu broker, each on its own store. The administrator merges
two wards and renames a third through intake's admin API; then a plan addressed to "UBND các xã, phường"
assigns the successor and not the merged wards, and the renamed ward's notices name it by its new name.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from pathlib import Path

import httpx
from sqlmodel import col, select

from dondoc.directory import load_default_directory
from dondoc.directory.history import merge, rename
from dondoc.platform.app import ServiceApp
from dondoc.platform.runtime import Runtime
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as create_notify
from services.notify.context import NotifyContext
from services.tasks.context import TasksContext
from services.tasks.models import Assignment
from shared import topics
from shared.envelope import wrap
from shared.events import PlanReceived, PlanTask, ReportDue, Timeframe, UnitRef
from tests.support import ADMIN_TOKEN, eventually, publish_raw, running
from tests.support.notify import free_port, notify_settings
from tests.support.tasks import app_at

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SUCCESSOR, MERGED = "10507", ["10525", "10532"]
RENAMED, NEW_NAME = "11407", "Phường Cửa Cấm"
EFFECTIVE = date(2026, 7, 1)
TODAY = date(2026, 12, 7)


def _plan() -> PlanReceived:
    return PlanReceived(
        plan_id=f"kh-{uuid.uuid4().hex[:8]}",
        title="Kế hoạch rà soát sau sắp xếp đơn vị hành chính",
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=[
            PlanTask(
                ref="1",
                title="Rà soát hồ sơ địa giới",
                lead=[UnitRef(text="UBND các xã, phường", group="G.COMMUNES")],
                timeframe=Timeframe(kind="deadline", due=date(2027, 3, 31)),
            )
        ],
    )


async def _assigned(app: ServiceApp, plan_id: str) -> set[str] | None:
    runtime: Runtime = app.runtime
    async with runtime.uow() as uow:
        rows = (await uow.session.exec(select(Assignment).where(col(Assignment.plan_id) == plan_id))).all()
    return {r.unit for r in rows} or None


async def _plan_assigns(broker: str, app: ServiceApp, expected: int) -> set[str]:
    plan = _plan()
    await publish_raw(
        broker, topics.PLAN_RECEIVED, wrap(plan, source="intake", correlation_id="test").to_bytes(), key=b"HP"
    )

    async def all_assigned() -> set[str] | None:
        units = await _assigned(app, plan.plan_id)
        return units if units is not None and len(units) >= expected else None

    return await eventually(all_assigned, what="the plan's assignments")


async def _admin_changes(client: httpx.AsyncClient) -> int:
    merged = await client.post(
        "/admin/directory/merge",
        json={"codes": MERGED, "into": SUCCESSOR, "effective": EFFECTIVE.isoformat()},
        headers=AUTH,
    )
    assert merged.status_code == 202, merged.text
    renamed = await client.post(
        f"/admin/directory/units/{RENAMED}/rename",
        json={"name": NEW_NAME, "effective": EFFECTIVE.isoformat()},
        headers=AUTH,
    )
    assert renamed.status_code == 202, renamed.text
    return int(renamed.json()["version"])


def test_a_merge_and_a_rename_reach_tasks_expansion_and_notify_wording(
    broker: str, database_url: str, tmp_path: Path
) -> None:
    packaged = load_default_directory()
    after = rename(merge(packaged, MERGED, SUCCESSOR, EFFECTIVE), RENAMED, NEW_NAME, EFFECTIVE)
    communes = set(after.expand("G.COMMUNES", "HP"))
    renamed, original = after.get(RENAMED), packaged.get(RENAMED)
    assert renamed is not None and original is not None
    new_name, old_name = renamed.name, original.name
    assert SUCCESSOR in communes and not communes & set(MERGED) and new_name != old_name
    intake = create_intake(
        IntakeSettings(
            kafka_bootstrap=broker,
            database_url=f"sqlite:///{tmp_path}/intake.db",
            dondoc_admin_token=ADMIN_TOKEN,
        )
    )
    notify = create_notify(notify_settings(f"sqlite:///{tmp_path}/notify.db", broker, free_port()))
    tasks = app_at(broker, database_url, TODAY)

    async def scenario() -> None:
        async with running(intake) as admin, running(notify) as notices:
            async with running(tasks):
                version = await _admin_changes(admin)
                tasks_ctx: TasksContext = tasks.context
                notify_ctx: NotifyContext = notify.context

                async def followed() -> bool:
                    live = tasks_ctx.live
                    return live is not None and live.version >= version and notify_ctx.live.version >= version

                await eventually(followed, what="tasks and notify following the new directory")
                assert await _plan_assigns(broker, tasks, len(communes)) == communes

            # Restarted, tasks still expands against the newest version it kept in its store.
            restarted = app_at(broker, database_url, TODAY)
            async with running(restarted):
                assert await _plan_assigns(broker, restarted, len(communes)) == communes

            reminder = ReportDue(
                obligation_id="bc-quy",
                unit=RENAMED,
                period_id="Quý IV/2026",
                window_start=date(2026, 9, 15),
                window_end=date(2026, 12, 14),
                deadline=date(2026, 12, 15),
            )
            sent = wrap(reminder, source="tasks", correlation_id="test-rename")
            await publish_raw(broker, topics.REPORT_DUE, sent.to_bytes(), key=RENAMED.encode())

            async def noticed() -> list[dict[str, str]] | None:
                items: list[dict[str, str]] = (await notices.get(f"/inbox/{RENAMED}", headers=AUTH)).json()
                return items if any(i["kind"] == "report_due" for i in items) else None

            # The reminder is worded by notify, the assignments' notices by the names tasks sent: all new.
            items = await eventually(noticed, what="the renamed ward's reminder")
            assert {i["kind"] for i in items} == {"report_due", "task_assigned"}, items
            for item in items:
                assert new_name in item["body"] and old_name not in item["body"], item["body"]

    asyncio.run(scenario())

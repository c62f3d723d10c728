"""Time the workspace's work page and assignment page at city scale, against GET /health of the same app.

Run: .venv/bin/python bench/bench_workspace.py [units] [tasks]
Intake's replica is filled through its own consumers (no broker needed: the pages are served from the
store), results are stored as intake stores them (about 60 % of assignments, a third with a second
version), and one ward's officer signs in. Each figure is the median of 21 requests.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from dondoc.directory import load_default_directory
from dondoc.platform.auth import Principal
from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.consumers import SUBSCRIPTIONS
from services.intake.domain import passwords
from services.intake.models import ResultRecord
from services.intake.settings import IntakeSettings
from services.intake.use_cases import people
from services.intake.web.reads import today
from shared.envelope import wrap
from shared.events import Event, TaskAssigned, Timeframe

TOKEN = "bench-admin-token-0123456789"
PLAN = "bench-plan"
PASSWORD = "Hai-Phong-2026!"
ORIGIN = "http://bench.test"


def events(units: list[str], tasks: int, today: date, seed: int = 1) -> list[Event]:
    rng = random.Random(seed)
    found: list[Event] = []
    for i in range(tasks):
        due = today + timedelta(days=rng.randrange(-60, 200))
        for unit in units:
            found.append(
                TaskAssigned(
                    assignment_id=f"PL.{i + 1}:{unit}",
                    plan_id=PLAN,
                    plan_version=1,
                    plan_number="243/KH-UBND",
                    plan_title="Kế hoạch đo hiệu năng không gian làm việc",
                    task_ref=f"PL.{i + 1}",
                    task_title=f"Nhiệm vụ số {i + 1} của kế hoạch",
                    unit=unit,
                    unit_name=unit,
                    role=rng.choice(["chu_tri", "phoi_hop"]),
                    output="Báo cáo",
                    timeframe=Timeframe(kind="deadline", due=due),
                )
            )
    return found


async def fill(runtime: Runtime, found: list[Event], seed: int = 2) -> None:
    rng = random.Random(seed)
    for start in range(0, len(found), 500):
        async with runtime.uow() as uow:
            handlers = SUBSCRIPTIONS.bind(None)
            for event in found[start : start + 500]:
                await handlers[event.topic](uow, wrap(event, source="bench", correlation_id="bench"))
                assert isinstance(event, TaskAssigned)
                # PL.1 (the assignment page timed) always has two versions; the others as the city's spread.
                if event.task_ref == "PL.1" or rng.random() < 0.6:
                    for version in range(1, 2 + (event.task_ref == "PL.1" or rng.random() < 0.33)):
                        content: dict[str, object] = {
                            "status": "hoan_thanh",
                            "completed_on": "2026-05-01",
                            "output": "Văn bản số 12",
                        }
                        uow.session.add(
                            ResultRecord(
                                id=str(uuid.uuid4()),
                                assignment_id=event.assignment_id,
                                unit=event.unit,
                                version=version,
                                content=content,
                                submitted_by="person:bench.officer",
                                submitted_at=datetime.now(UTC),
                            )
                        )
            await uow.commit()


async def officer(runtime: Runtime, unit: str) -> None:
    async with runtime.uow() as uow:
        admin = Principal(key_id="bench", unit=None, role="admin")
        new = await people.create_person(
            uow, load_default_directory(), admin, "bench.officer", "Cán bộ đo", unit, "officer"
        )
        new.person.password_hash = passwords.hash_password(PASSWORD)
        new.person.must_change = False
        await uow.commit()


async def timed_ms(client: httpx.AsyncClient, path: str, rounds: int = 21) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        answer = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        size = len(answer.content)
    return statistics.median(times), size


async def main(units_count: int, tasks: int) -> None:
    directory = load_default_directory()
    wards = [u.code for u in directory.list_units() if u.kind in ("phuong", "xa", "dac_khu")]
    units = (wards + [f"X{i}" for i in range(units_count)])[:units_count]
    with tempfile.TemporaryDirectory() as folder:
        settings = IntakeSettings(
            database_url=f"sqlite:///{Path(folder)}/intake.db",
            kafka_bootstrap="127.0.0.1:1",  # no broker: the pages are served from the store alone
            dondoc_admin_token=TOKEN,
            public_base_url=ORIGIN,
            workspace_secure_cookie=False,
            rate_limit_per_minute=10**6,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            found = events(units, tasks, today())
            started = time.perf_counter()
            await fill(app.runtime, found)
            fill_s = time.perf_counter() - started
            await officer(app.runtime, units[0])
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url=ORIGIN, timeout=120, headers={"Origin": ORIGIN}
            ) as client:
                signed = await client.post(
                    "/workspace/login",
                    data={"username": "bench.officer", "password": PASSWORD, "next": "/workspace"},
                )
                assert signed.status_code == 303, signed.text
                health, _ = await timed_ms(client, "/health")
                work, work_size = await timed_ms(client, "/workspace")
                one = f"/workspace/assignments/PL.1:{units[0]}"
                page, page_size = await timed_ms(client, one)
                health_after, _ = await timed_ms(client, "/health")
    base = (health + health_after) / 2
    print(
        f"workspace, {len(units)} units × {tasks} tasks "
        f"({len(found)} assignments projected in {fill_s:.1f}s): "
        f"work page {work:.1f} ms ({work_size / 1024:.0f} KiB, {tasks} assignments), "
        f"assignment page {page:.1f} ms ({page_size / 1024:.0f} KiB); baseline GET /health {base:.2f} ms; "
        f"work page/baseline ×{work / base:.0f}, assignment page/baseline ×{page / base:.0f}"
    )


if __name__ == "__main__":
    logging.disable(logging.WARNING)  # the service's "no broker yet" warnings are expected here
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # and so are aiokafka's failed connects
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [134, 50][len(arguments) :])))

"""Time the city dashboard's plan page and the submission preview at city scale, against GET /health.

Run: .venv/bin/python bench/bench_dashboard.py [units] [tasks]
The store is filled through reporting's own projections (no broker needed: the service serves its
pages from its store while it waits for one). The dashboard's warmer (web/warm.py) compiles every plan in
the background once the store settles; the bench waits for it, says how long it took after the last
event, then times the first view of the plan page (its default period, the one the warmer compiled), the
same page again, and a cold first view (another period, which nothing compiled yet: the compile's cost).
Baseline: `GET /health` and `GET /plans` in the same run. Each figure is wall time, CPU time beside it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from dondoc.directory import load_default_directory
from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.runtime import Runtime
from services.reporting.app import create_app
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.settings import ReportingSettings
from services.reporting.web import warm
from services.reporting.web.routes import compiled_cache
from shared.envelope import wrap
from shared.events import (
    Event,
    PlanReceived,
    PlanTask,
    ReportDue,
    ReportSubmitted,
    ResultSubmitted,
    TaskAssigned,
    Timeframe,
    UnitRef,
)

TOKEN = "bench-admin-token-0123456789"
PLAN = "bench-plan"
TODAY = date(2026, 7, 20)
PERIODS = {"2026-Q1": date(2026, 3, 17), "2026-Q2": date(2026, 6, 16)}


def events(units: list[str], tasks: int, seed: int = 1) -> list[Event]:
    """A city plan of `tasks` tasks for every unit, results for about 60 %, two quarters of reports."""
    rng = random.Random(seed)
    refs = [f"PL.{i + 1}" for i in range(tasks)]
    dues = [rng.choice([date(2026, 3, 31), date(2026, 6, 30), date(2026, 12, 31), None]) for _ in refs]
    found: list[Event] = [
        PlanReceived(
            plan_id=PLAN,
            number="243/KH-UBND",
            title="Kế hoạch đo hiệu năng bảng điều khiển",
            issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
            tasks=[
                PlanTask(ref=r, title=f"Nhiệm vụ số {r}", timeframe=Timeframe(kind="deadline", due=d))
                for r, d in zip(refs, dues, strict=True)
            ],
        )
    ]
    at = datetime(2026, 7, 1, 2, tzinfo=UTC)
    for ref, due in zip(refs, dues, strict=True):
        for unit in units:
            assignment = f"{ref}:{unit}"
            found.append(
                TaskAssigned(
                    assignment_id=assignment,
                    plan_id=PLAN,
                    plan_version=1,
                    plan_title="Kế hoạch",
                    task_ref=ref,
                    task_title=f"Nhiệm vụ số {ref}",
                    unit=unit,
                    unit_name=unit,
                    role="chu_tri",
                    timeframe=Timeframe(kind="deadline", due=due),
                )
            )
            if rng.random() < 0.6:
                found.append(
                    ResultSubmitted(
                        result_id=str(uuid.uuid4()),
                        assignment_id=assignment,
                        unit=unit,
                        version=1,
                        status="hoan_thanh",
                        completed_on=date(2026, 1, 1) + timedelta(days=rng.randrange(200)),
                        output="Văn bản số 12/UBND-VP",
                        submitted_at=at,
                    )
                )
    for period, deadline in PERIODS.items():
        for unit in units:
            window = (deadline - timedelta(days=90), deadline - timedelta(days=2))
            found.append(
                ReportDue(
                    obligation_id="o",
                    unit=unit,
                    period_id=period,
                    window_start=window[0],
                    window_end=window[1],
                    deadline=deadline,
                    plan_id=PLAN,
                )
            )
            if rng.random() < 0.85:
                sent = datetime.combine(deadline, datetime.min.time(), UTC) + timedelta(
                    days=rng.randrange(-3, 3)
                )
                found.append(
                    ReportSubmitted(
                        report_id=str(uuid.uuid4()),
                        unit=unit,
                        period_id=period,
                        version=1,
                        plan_id=PLAN,
                        submitted_at=sent,
                    )
                )
    return found


async def fill(runtime: Runtime, found: list[Event]) -> None:
    """Apply the events through the projections, a few hundred per transaction, inbox records included
    (as the consumers do: the dashboard's cache and its warmer follow the store by them)."""
    for start in range(0, len(found), 500):
        async with runtime.uow() as uow:
            handlers = SUBSCRIPTIONS.bind(None)
            for event in found[start : start + 500]:
                envelope = wrap(event, source="bench", correlation_id="bench")
                await handlers[event.topic](uow, envelope)
                await uow.mark_processed(f"reporting.{event.topic}", envelope.id)
            await uow.commit()


async def timed_ms(
    client: httpx.AsyncClient, path: str, rounds: int, **kwargs: Any
) -> tuple[float, float, float, int]:
    """The first GET, the median of the repeats, the first one's CPU milliseconds, and the size."""
    times, size, first_cpu = [], 0, 0.0
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        answer = await client.get(path, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        first_cpu = first_cpu or (time.process_time() - cpu) * 1000
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
        size = len(answer.content)
    return times[0], statistics.median(times[1:] or times), first_cpu, size


async def caught_up(app: Any) -> float:
    """Seconds until the warmer has compiled the store as it stands (bounded)."""
    started = time.perf_counter()
    while compiled_cache(app).warmed != await warm.stamp(app.runtime):
        assert time.perf_counter() - started < 300, "the warmer never caught up"
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


async def main(units_count: int, tasks: int) -> None:
    directory = load_default_directory()
    codes = [u.code for u in directory.list_units() if u.kind in ("phuong", "xa", "dac_khu", "department")]
    units = (codes * (units_count // max(len(codes), 1) + 1))[:units_count]
    units = sorted(set(units)) + [f"X{i}" for i in range(units_count - len(set(units)))]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = ReportingSettings(
            database_url=f"sqlite:///{Path(folder)}/reporting.db",
            kafka_bootstrap="127.0.0.1:1",  # no broker: pages are served from the store alone
            dondoc_admin_token=TOKEN,
            ticker_enabled=False,
            rate_limit_per_minute=10**6,
            dashboard_secure_cookie=False,  # the bench talks plain HTTP to the app in process
        )
        app = create_app(settings, clock=ShiftedClock.on(TODAY))
        async with app.router.lifespan_context(app):
            found = events(units, tasks)
            started = time.perf_counter()
            await fill(app.runtime, found)
            fill_s = time.perf_counter() - started
            warm_s = await caught_up(app)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as client:
                signed = await client.post(
                    "/dashboard/login",
                    data={"key": TOKEN, "next": "/dashboard"},
                    headers={"Origin": "http://test"},
                )
                assert signed.status_code == 303, signed.text
                auth = {"Authorization": f"Bearer {TOKEN}"}
                _, health, _, _ = await timed_ms(client, "/health", 21)
                _, base, _, _ = await timed_ms(client, "/plans", 21, headers=auth)
                page, page_again, page_cpu, page_size = await timed_ms(
                    client, f"/dashboard/plans/{PLAN}", 6, params={"period": "2026-Q2"}
                )
                home, home_again, _, _ = await timed_ms(client, "/dashboard", 4)
                cold, _, cold_cpu, _ = await timed_ms(
                    client, f"/dashboard/plans/{PLAN}", 1, params={"period": "2026-Q1"}
                )
                preview, _, _, json_size = await timed_ms(
                    client, f"/plans/{PLAN}/submission", 1, params={"period": "2026-Q2"}, headers=auth
                )
        print(
            f"dashboard, {len(units)} units × {tasks} tasks "
            f"({len(found)} events projected in {fill_s:.1f}s; the warmer had compiled them "
            f"{warm_s:.2f}s after the last): "
            f"plan page {page:.0f} ms first (CPU {page_cpu:.0f} ms), {page_again:.0f} ms again "
            f"({page_size / 1000:.0f} KB HTML), cold first view of a period nothing compiled {cold:.0f} ms "
            f"(CPU {cold_cpu:.0f} ms), home {home:.0f} ms first, {home_again:.0f} ms again, "
            f"submission preview (JSON) {preview:.0f} ms ({json_size / 1024:.0f} KiB); "
            f"baseline GET /health {health:.1f} ms, GET /plans {base:.1f} ms; "
            f"plan page first/health ×{page / health:.0f}, again/health ×{page_again / health:.0f}, "
            f"cold/health ×{cold / health:.0f}"
        )
        verdict = "met" if page < 300 and page_size < 500_000 else "NOT met"
        print(f"goal (first view < 300 ms, HTML < 500 KB): {verdict}")


if __name__ == "__main__":
    logging.disable(logging.WARNING)  # the service's "no broker yet" warnings are expected here
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # and so are aiokafka's failed connects
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [134, 50][len(arguments) :])))

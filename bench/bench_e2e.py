"""Intake throughput and end-to-end latency, each against a baseline measured in the same run.

    .venv/bin/python bench/bench_e2e.py [requests]

1. Intake: requests per second and p50/p99 latency for a realistic plan (seed 000's six tasks) and for a
   result, in-process over ASGI; baseline: a bare FastAPI endpoint doing the same validation, no storage.
2. Pipeline: a city plan whose task names "Các sở, ban, ngành và UBND cấp xã" (every department and every
   commune-level committee) → time from intake's 202 to the last `task.assigned` on the broker, and to the
   last inbox notification; baseline: a raw aiokafka produce → consume round trip on the same broker.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlmodel import col

from dondoc.directory import load_default_directory
from dondoc.platform import processes
from dondoc.platform.app import ServiceApp
from dondoc.platform.kafka import ensure_topics
from services.intake.app import create_app as create_intake
from services.intake.context import IntakeContext
from services.intake.projections import replica
from services.intake.schemas import PlanIn, ResultIn
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as create_notify
from services.notify.models import Notification
from services.notify.settings import NotifySettings
from services.tasks.app import create_app as create_tasks
from services.tasks.settings import TasksSettings
from shared import topics
from shared.events import TaskAssigned, Timeframe
from shared.topics import ALL_TOPICS

TOKEN = "bench-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

WARD_PLAN = {
    "issuer": "11407",
    "number": "15/KH-UBND",
    "issued_on": "2025-09-22",
    "title": "Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội",
    "implements": ["Kế hoạch số 243/KH-UBND ngày 16/9/2025 của Ủy ban nhân dân thành phố Hải Phòng"],
    "tasks": [
        {
            "ref": f"II.{i}",
            "title": title,
            "lead": [{"text": "Văn phòng HĐND và UBND"}],
            "coordinating": [{"text": "Các phòng chuyên môn"}],
            "output": "Văn bản hướng dẫn, đôn đốc",
            "timeframe": {"text": "Từ quý II/2025 đến hết ngày 28/02/2027"},
        }
        for i, title in enumerate(
            [
                "Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15",
                "Theo dõi, hướng dẫn, đôn đốc triển khai thực hiện Nghị quyết số 206/2025/QH15",
                "Rà soát và đề xuất giải pháp hoàn thiện pháp luật",
                "Xử lý các khó khăn, vướng mắc do quy định của pháp luật",
                "Tham gia các hội nghị tập huấn chuyên sâu về nghiệp vụ",
                "Báo cáo về việc thi hành Nghị quyết số 206/2025/QH15",
            ],
            start=1,
        )
    ],
}
RESULT = {
    "assignment_id": "a-1",
    "unit": "11407.VP",
    "status": "hoan_thanh",
    "completed_on": "2026-03-02",
    "output": "Văn bản số 123/UBND-VP ngày 02/3/2026",
    "narrative": "Đã tổ chức hội nghị quán triệt.",
}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/plans", status_code=202)
    async def plans(plan: PlanIn) -> dict[str, str]:
        return {"id": str(uuid.uuid4())}

    @app.post("/results", status_code=202)
    async def results(result: ResultIn) -> dict[str, str]:
        return {"id": str(uuid.uuid4())}

    return app


async def timed(call: Callable[[], Awaitable[httpx.Response]], n: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        response = await call()
        latencies.append(time.perf_counter() - t0)
        assert response.status_code == 202, response.text
    return n / (time.perf_counter() - started), latencies


def line(label: str, rate: float, latencies: list[float]) -> str:
    q = statistics.quantiles(latencies, n=100)
    return f"{label:<44} {rate:8.0f} req/s   p50 {q[49] * 1000:6.1f} ms   p99 {q[98] * 1000:6.1f} ms"


async def know_the_assignment(app: ServiceApp[IntakeSettings, IntakeContext]) -> None:
    """Intake refuses results on assignments tasks never announced (ADR 0030): give its replica "a-1"."""
    assigned = TaskAssigned(
        assignment_id=str(RESULT["assignment_id"]),
        plan_id="bench-plan",
        plan_version=1,
        plan_title="Kế hoạch đo hiệu năng",
        task_ref="II.1",
        task_title="Tổ chức quán triệt",
        unit="11407.VP",
        unit_name="Văn phòng HĐND và UBND",
        role="chu_tri",
        timeframe=Timeframe(),
    )
    async with app.runtime.uow() as uow:
        await replica.on_task_assigned(uow, assigned, None)
        await uow.commit()


async def bench_intake(bootstrap: str, folder: Path, n: int) -> None:
    settings = IntakeSettings(
        kafka_bootstrap=bootstrap, database_url=f"sqlite:///{folder}/intake.db", dondoc_admin_token=TOKEN
    )
    app = create_intake(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as ours,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=bare_app()), base_url="http://x") as bare,
    ):
        await know_the_assignment(app)
        for path, body in (("/plans", WARD_PLAN), ("/results", RESULT)):
            base_rate, base_lat = await timed(functools.partial(bare.post, path, json=body), n)
            rate, lat = await timed(functools.partial(ours.post, path, json=body, headers=AUTH), n)
            print(line(f"baseline POST {path} (validation only)", base_rate, base_lat))
            print(line(f"intake POST {path} (stored, audited, outbox)", rate, lat))
            print(f"  ratio intake / baseline throughput: {rate / base_rate:.2f}")


async def raw_round_trip(bootstrap: str) -> float:
    consumer = AIOKafkaConsumer(
        "bench.rtt",
        bootstrap_servers=bootstrap,
        group_id=f"rtt-{uuid.uuid4()}",
        auto_offset_reset="latest",
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await asyncio.sleep(3)  # let the group join before timing
        started = time.perf_counter()
        await producer.send_and_wait("bench.rtt", b"x")
        await consumer.getone()
        return time.perf_counter() - started
    finally:
        await producer.stop()
        await consumer.stop()


async def bench_pipeline(bootstrap: str, folder: Path) -> None:
    directory = load_default_directory()
    units = set(directory.expand("G.CITY_DEPARTMENTS+G.COMMUNES", None))
    plan = {
        "issuer": "HP",
        "title": "Kế hoạch hành động của thành phố",
        "tasks": [
            {
                "ref": "1",
                "title": "Rà soát văn bản quy phạm pháp luật",
                "lead": [{"text": "Các sở, ban, ngành và UBND cấp xã"}],
                "timeframe": {"text": "Năm 2026"},
            }
        ],
    }
    tasks_app = create_tasks(
        TasksSettings(
            kafka_bootstrap=bootstrap,
            database_url=f"sqlite:///{folder}/t.db",
            dondoc_admin_token=TOKEN,
            ticker_enabled=False,
        )
    )
    notify_app = create_notify(
        NotifySettings(
            kafka_bootstrap=bootstrap, database_url=f"sqlite:///{folder}/n.db", dondoc_admin_token=TOKEN
        )
    )
    intake_app = create_intake(
        IntakeSettings(
            kafka_bootstrap=bootstrap, database_url=f"sqlite:///{folder}/i.db", dondoc_admin_token=TOKEN
        )
    )
    async with (
        tasks_app.router.lifespan_context(tasks_app),
        notify_app.router.lifespan_context(notify_app),
        intake_app.router.lifespan_context(intake_app),
    ):
        await asyncio.sleep(4)  # consumer groups joined
        reader = AIOKafkaConsumer(
            topics.TASK_ASSIGNED,
            bootstrap_servers=bootstrap,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
        )
        await reader.start()
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=intake_app), base_url="http://x"
            ) as c:
                answer = await c.post("/plans", json=plan, headers=AUTH)
            accepted = time.perf_counter()
            assert answer.status_code == 202, answer.text
            seen = 0
            while seen < len(units):
                batch = await reader.getmany(timeout_ms=500)
                seen += sum(len(records) for records in batch.values())
            to_assigned = time.perf_counter() - accepted
        finally:
            await reader.stop()
        engine = notify_app.runtime.engine
        while True:
            async with engine.connect() as conn:
                inbox = int((await conn.execute(select(func.count(col(Notification.id))))).scalar_one())
            if inbox >= len(units):
                break
            await asyncio.sleep(0.05)
        to_inbox = time.perf_counter() - accepted
    rtt = await raw_round_trip(bootstrap)
    print(
        f"city plan for {len(units)} units: 202 → last task.assigned {to_assigned:.2f} s, "
        f"→ last inbox notification {to_inbox:.2f} s"
    )
    print(
        f"baseline raw produce → consume round trip {rtt * 1000:.1f} ms; "
        f"ratio per unit {to_assigned / len(units) / rtt:.1f}× one round trip"
    )


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        broker = processes.start_broker(processes.free_port())
        try:
            await ensure_topics(broker.bootstrap, [*ALL_TOPICS, "bench.rtt"], partitions=3)
            await bench_intake(broker.bootstrap, Path(tmp), n)
            await bench_pipeline(broker.bootstrap, Path(tmp))
        finally:
            broker.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))

"""The dashboard test's world: a small city plan told as events, and the reporting service on real HTTP.

The figures the dashboard must show are written down here by hand from the events (`HAND`), and also
recompiled from the service's own store (`compiled`), so a page, the compiler and the events must agree.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NotRequired, TypedDict, TypeVar

import uvicorn
from aiokafka import AIOKafkaProducer
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.directory import load_default_directory
from dondoc.kernel.clock import FixedClock, ShiftedClock
from dondoc.platform import processes
from dondoc.platform.auth import IssuedKey
from services.reporting import queries
from services.reporting.app import create_app
from services.reporting.context import ReportingContext
from services.reporting.domain import Submission
from services.reporting.settings import ReportingSettings
from services.reporting.use_cases import generation
from shared.envelope import wrap
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
from tests.support import ADMIN_TOKEN

T = TypeVar("T")
ICT = timezone(timedelta(hours=7))
TODAY = date(2026, 7, 20)
PLAN_ID = "kh-dashboard-66"
PLAN_TITLE = "Kế hoạch triển khai Nghị quyết số 66-NQ/TW về đổi mới công tác xây dựng và thi hành pháp luật"
SOTP = "HP.SO-TU-PHAP"
WARDS = ("10507", "10525", "10532", "10606", "10615")
TASKS = {  # ref → (title, due)
    "PL.1": ("Rà soát văn bản quy phạm pháp luật của địa phương", date(2026, 3, 31)),
    "PL.2": ("Tổ chức hội nghị phổ biến, quán triệt Nghị quyết", date(2026, 6, 30)),
    "PL.3": ("Xây dựng cơ sở dữ liệu văn bản của phường, xã", date(2026, 12, 31)),
}
# unit → ref → list of (completed_on or None, output), one per version, sent in that order
RESULTS: dict[str, dict[str, list[tuple[date | None, str]]]] = {
    "10507": {
        "PL.1": [(date(2026, 3, 20), "Đã rà soát 27 văn bản; đề nghị bãi bỏ 3 văn bản hết hiệu lực")],
        "PL.2": [(date(2026, 7, 5), "Hội nghị ngày 05/7/2026, 120 đại biểu dự")],
        "PL.3": [(None, "")],
    },
    "10525": {"PL.1": [(None, "Đang tổng hợp"), (date(2026, 3, 30), "Báo cáo số 45/BC-UBND ngày 30/3/2026")]},
    "10606": {"PL.1": [(date(2026, 4, 10), "Công văn số 112/UBND-VP ngày 10/4/2026")]},
    "10615": {"PL.2": [(date(2026, 6, 1), "Hội nghị trực tuyến ngày 01/6/2026")]},
}
PERIODS = {  # period → (window start, window end, deadline)
    "2026-Q1": (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 5)),
    "2026-Q2": (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 5)),
}
REPORTS = {  # (unit, period) → day the report arrived (at 10:00 in Hải Phòng)
    ("10507", "2026-Q1"): date(2026, 4, 2),
    ("10525", "2026-Q1"): date(2026, 4, 8),
    ("10606", "2026-Q1"): date(2026, 4, 5),
    ("10507", "2026-Q2"): date(2026, 7, 1),
    ("10615", "2026-Q2"): date(2026, 7, 4),
    ("10532", "2026-Q2"): date(2026, 7, 10),
}
OK, LATE, OPEN, OVERDUE = (
    "hoan_thanh_dung_han",
    "hoan_thanh_qua_han",
    "dang_thuc_hien_trong_han",
    "qua_han_chua_hoan_thanh",
)
class PeriodFigures(TypedDict):
    completeness: str
    timeliness: str
    missing: NotRequired[set[str]]


class Hand(TypedDict):
    """What the dashboard must show, each figure counted by hand."""

    grid: dict[tuple[str, str], str]
    assignments: dict[str, int]
    tasks: dict[str, int]
    not_reported: int
    overdue: set[tuple[str, str]]
    Q2: PeriodFigures
    Q1: PeriodFigures


# Worked out by hand from the lists above. The plan page shows 2026-Q2, closed on 30/06/2026: statuses are
# judged on that cut-off, not on TODAY (20/07/2026), so 10507's PL.2, completed on 05/07, is still in progress
# there, and PL.2 (due 30/06) is overdue for nobody yet. Reports arrived by TODAY count.
HAND: Hand = {
    "grid": {
        ("10507", "PL.1"): OK,
        ("10507", "PL.2"): OPEN,
        ("10507", "PL.3"): OPEN,
        ("10525", "PL.1"): OK,
        ("10525", "PL.2"): OPEN,
        ("10532", "PL.1"): OVERDUE,
        ("10606", "PL.1"): LATE,
        ("10615", "PL.2"): OK,
    },
    "assignments": {OK: 3, LATE: 1, OPEN: 9, OVERDUE: 2},
    "tasks": {OK: 0, LATE: 0, OPEN: 2, OVERDUE: 1},  # PL.1 waits on some lead units
    "not_reported": 9,
    "overdue": {
        ("10532", "PL.1"),
        ("10615", "PL.1"),
    },
    "Q2": {"completeness": "60%", "timeliness": "40%", "missing": {"10525", "10606"}},
    "Q1": {"completeness": "60%", "timeliness": "40%"},
}


def unit_name(code: str) -> str:
    return load_default_directory().unit(code).name


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ICT)


def events(ward_key: IssuedKey) -> list[Event]:
    """The plan, its assignments, results, expected and received reports, and one ward's key."""
    lead = [UnitRef(text=unit_name(w), unit=w) for w in WARDS]
    tasks = [
        PlanTask(ref=ref, title=title, lead=lead, timeframe=Timeframe(kind="deadline", due=due))
        for ref, (title, due) in TASKS.items()
    ]
    plan = PlanReceived(
        plan_id=PLAN_ID,
        number="15/KH-UBND",
        title=PLAN_TITLE,
        issued_on=date(2026, 1, 10),
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=tasks,
        reporting=[ReportingObligation(reporter=lead, recipient=UnitRef(text="Sở Tư pháp", unit=SOTP))],
    )
    found: list[Event] = [plan]
    for ref, (title, due) in TASKS.items():
        for ward in WARDS:
            found.append(
                TaskAssigned(
                    assignment_id=f"as-{ref}-{ward}",
                    plan_id=PLAN_ID,
                    plan_version=1,
                    plan_title=PLAN_TITLE,
                    task_ref=ref,
                    task_title=title,
                    unit=ward,
                    unit_name=unit_name(ward),
                    role="chu_tri",
                    timeframe=Timeframe(kind="deadline", due=due),
                )
            )
    for ward, by_task in RESULTS.items():
        for ref, versions in by_task.items():
            for version, (done, output) in enumerate(versions, start=1):
                found.append(
                    ResultSubmitted(
                        result_id=f"kq-{ref}-{ward}",
                        assignment_id=f"as-{ref}-{ward}",
                        unit=ward,
                        version=version,
                        status="hoan_thanh" if done else "dang_thuc_hien",
                        completed_on=done,
                        output=output or None,
                        narrative="Đã triển khai theo kế hoạch",
                        submitted_at=_at(done or date(2026, 3, 15), 9 + version),
                    )
                )
    for period, (start, end, deadline) in PERIODS.items():
        for ward in WARDS:
            found.append(
                ReportDue(
                    obligation_id="ob-1",
                    unit=ward,
                    period_id=period,
                    window_start=start,
                    window_end=end,
                    deadline=deadline,
                    plan_id=PLAN_ID,
                )
            )
    for (ward, period), day in REPORTS.items():
        found.append(
            ReportSubmitted(
                report_id=f"bc-{period}-{ward}",
                unit=ward,
                period_id=period,
                version=1,
                plan_id=PLAN_ID,
                narrative=f"Báo cáo {period} của {unit_name(ward)}",
                submitted_at=_at(day),
            )
        )
    found.append(credential(ward_key, "10507"))
    return found


def credential(key: IssuedKey, unit: str, revoked: bool = False) -> CredentialChanged:
    now = datetime.now(UTC)
    return CredentialChanged(
        key_id=key.key_id,
        unit=unit,
        role="unit",
        secret_hash=key.secret_hash,
        created_at=now - timedelta(minutes=1),
        revoked_at=now if revoked else None,
    )


async def publish(bootstrap: str, found: list[Event]) -> None:
    """Publish as the other services would (one producer for the lot)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for event in found:
            envelope = wrap(event, source="test", correlation_id="dashboard-test")
            await producer.send(event.topic, envelope.to_bytes(), key=PLAN_ID.encode())
        await producer.flush()
    finally:
        await producer.stop()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a thread of its own (Playwright's sync API owns this thread's loop)."""
    box: list[T] = []
    worker = threading.Thread(target=lambda: box.append(asyncio.run(coro)))
    worker.start()
    worker.join()
    assert box, "the coroutine failed (see the traceback above)"
    return box[0]


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def wait_for(db: Path, sql: str, expected: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if rows(db, sql)[0][0] == expected:
                return
        except sqlite3.OperationalError:
            pass  # the tables are being created
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {sql} = {expected}")
        time.sleep(0.1)


def compiled(db: Path, period: str | None, plan_id: str = PLAN_ID) -> Submission:
    """The submission compile_submission makes from the service's own store."""

    async def go() -> Submission:
        engine = create_async_engine(f"sqlite+aiosqlite:///{db}")
        ctx = ReportingContext(ReportingSettings(), FixedClock.on(TODAY))
        try:
            async with AsyncSession(engine) as session:
                scope = await generation.resolve_scope(
                    session, plan_id, period_id=period, start=date.min, end=date.max, as_of=TODAY
                )
                inputs = await queries.load_inputs(session, ctx, plan_id)
        finally:
            await engine.dispose()
        assert inputs is not None
        return generation.compile_scope(inputs, scope)

    return run(go())


@dataclass
class Service:
    url: str
    db: Path


@contextmanager
def serve(broker: str, folder: Path, today: date = TODAY) -> Iterator[Service]:
    """The reporting app in this process on the store in `folder`, behind a real uvicorn server."""
    port = processes.free_port()
    url = f"http://127.0.0.1:{port}"
    db = folder / "reporting.db"
    settings = ReportingSettings(
        kafka_bootstrap=broker,
        database_url=f"sqlite:///{db}",
        dondoc_admin_token=ADMIN_TOKEN,
        public_base_url=url,
        http_port=port,
        ticker_enabled=False,
        consumer_retry_base_seconds=0.01,
        kafka_fetch_max_wait_ms=50,
        dashboard_secure_cookie=False,  # plain http://127.0.0.1, as `make run` serves it
    )
    app = create_app(settings, clock=ShiftedClock.on(today))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        processes.wait_healthy(url, timeout=30)
        yield Service(url, db)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def sign_in(context: BrowserContext, url: str, key: str, target: str) -> Page:
    page = context.new_page()
    page.goto(url + target)
    expect(page).to_have_url(f"{url}/dashboard/login?next={target}")
    page.get_by_label("Khóa truy cập").fill(key)
    page.get_by_role("button", name="Đăng nhập").click()
    return page

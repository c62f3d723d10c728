"""Claiming due notifications on a real store: digests, leases after a crash, nothing sent twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.notify.app import MIGRATIONS
from services.notify.domain.codec import notice_to_json
from services.notify.domain.notices import PlanRef, TaskAssignedNotice
from services.notify.models import PLATFORM, Notification
from services.notify.use_cases.claims import Batch, claim_due

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
WINDOW, LEASE = timedelta(seconds=60), timedelta(seconds=120)
Uow = Callable[[], UnitOfWork]


@pytest.fixture
async def uow(tmp_path: Path) -> AsyncIterator[Uow]:
    url = f"sqlite:///{tmp_path}/notify.db"
    migrations.upgrade(MIGRATIONS, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    yield lambda: UnitOfWork(sessions, PLATFORM, "notify")
    await engine.dispose()


def _row(
    n: int, *, created: datetime, state: str = "pending", plan: str = "kh-1", sent_at: datetime | None = None
) -> Notification:
    notice = TaskAssignedNotice(
        "UBND phường An Biên",
        PlanRef("Kế hoạch", "243/KH-UBND"),
        f"Nhiệm vụ {n}",
        "chu_tri",
        None,
        date(2026, 12, 1),
        "l",
    )
    return Notification(
        id=f"n-{n}",
        source_event_id=f"e-{n}",
        kind="task_assigned",
        unit="11407",
        channel="email",
        plan_id=plan,
        state=state,
        title="t",
        body="b",
        data=notice_to_json(notice),
        next_attempt_at=created + WINDOW,
        created_at=created,
        sent_at=sent_at,
    )


async def _store(uow: Uow, *rows: Notification) -> None:
    async with uow() as work:
        work.session.add_all(rows)
        await work.commit()


async def _claim(uow: Uow, now: datetime) -> list[Batch]:
    async with uow() as work:
        batches = await claim_due(work, now, window=WINDOW, lease=LEASE, limit=100)
        await work.commit()
    return batches


async def test_assignments_of_one_plan_within_the_window_leave_as_one_batch(uow: Uow) -> None:
    rows = [_row(i, created=NOW + timedelta(seconds=i)) for i in range(17)]
    late = _row(99, created=NOW + WINDOW + timedelta(seconds=5))
    other_plan = _row(50, created=NOW, plan="kh-2")
    await _store(uow, *rows, late, other_plan)
    assert await _claim(uow, NOW + timedelta(seconds=30)) == []  # the window is still open
    batches = await _claim(uow, NOW + WINDOW)
    assert sorted(len(b.notification_ids) for b in batches) == [1, 17]
    assert {b.batch_id for b in batches} == {"n-0", "n-50"}


async def test_a_batch_left_sending_by_a_dead_sender_is_claimed_again_under_the_same_id(uow: Uow) -> None:
    await _store(uow, _row(1, created=NOW))
    [first] = await _claim(uow, NOW + WINDOW)
    assert await _claim(uow, NOW + WINDOW + LEASE / 2) == []  # its sender may still be at work
    [again] = await _claim(uow, NOW + WINDOW + LEASE * 2)
    assert again.batch_id == first.batch_id and again.attempt_id != first.attempt_id


async def test_a_sent_notification_is_never_claimed_again(uow: Uow) -> None:
    await _store(uow, _row(1, created=NOW, state="sent", sent_at=NOW))
    assert await _claim(uow, NOW + timedelta(days=30)) == []

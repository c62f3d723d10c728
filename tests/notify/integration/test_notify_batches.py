"""A city plan's notices in batches: each unit's digest the same as one event at a time, and nothing lost.

Notify looks up a batch's inbox heads, their members and the assignments it knows in a few queries and
writes the copies of assignments first heard of with the batch; a notice later in the same batch (an
overdue one) must still word the plan from them, and a later batch must join the head an earlier wrote.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.consumer import Outcome
from services.notify.app import create_app
from services.notify.domain.codec import ReadBack
from services.notify.domain.notices import Notice
from services.notify.models import AssignmentCopy, Notification
from shared.events import Event, TaskOverdue
from tests.support.batches import Batches, batches_of
from tests.support.notify import notify_settings, ward_task

pytestmark = pytest.mark.integration
TODAY = date(2026, 6, 1)
WARD = "11407"


async def inbox(batches: Batches, plan_id: str) -> list[Notification]:
    query = (
        select(Notification)
        .where(col(Notification.plan_id) == plan_id, col(Notification.channel) == "inbox")
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    async with batches.uow() as uow:
        return list((await uow.session.exec(query)).all())


async def copies(batches: Batches, plan_id: str) -> int:
    query = select(AssignmentCopy).where(col(AssignmentCopy.plan_id) == plan_id)
    async with batches.uow() as uow:
        return len((await uow.session.exec(query)).all())


async def test_a_plan_in_batches_digests_as_one_event_at_a_time_and_words_a_later_notice(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = notify_settings(database_url, "127.0.0.1:9", 25, notify_digest_window_seconds=3600)
    app = create_app(settings, clock=ShiftedClock.on(TODAY))
    async with batches_of(app.spec, database_url, caplog) as batches:
        alone: list[Event] = [ward_task("alone", ref) for ref in range(1, 6)]
        for event in alone:
            assert await batches.handle([event]) == [Outcome.OK]
        overdue = TaskOverdue(assignment_id="together-1", unit=WARD, due=date(2026, 5, 31))
        first: list[Event] = [*(ward_task("together", ref) for ref in range(1, 4)), overdue]
        assert await batches.handle(first) == [Outcome.OK] * 4
        assert await batches.handle([ward_task("together", ref) for ref in (4, 5)]) == [Outcome.OK] * 2
        assert not batches.fell_back(), "a batch was handled again one event at a time"
        one_by_one, together = await inbox(batches, "alone"), await inbox(batches, "together")
        assert await copies(batches, "together") == 5
    heads = [row for row in together if row.state == "sent" and row.kind == "task_assigned"]
    assert len(heads) == 1 and heads[0].title.startswith("5 nhiệm vụ mới")
    assert sorted(row.state for row in together if row.kind == "task_assigned") == ["grouped"] * 4 + ["sent"]
    assert [(r.title, r.body, r.state) for r in one_by_one] == [
        (r.title, r.body.replace("together", "alone"), r.state) for r in together if r.kind == "task_assigned"
    ]
    # The overdue notice came in the batch that first told notify of its assignment: it cites the plan.
    (late,) = [row for row in together if row.kind == "overdue"]
    assert "243/KH-UBND" in late.body and "chưa rõ kế hoạch" not in late.body


class CountingReadBack(ReadBack):
    """The process's read-back notices, counting how many it had to decode."""

    def __init__(self) -> None:
        super().__init__()
        self.decoded = 0

    def keep(self, row_id: str, written: object, data: dict[str, object]) -> Notice:
        self.decoded += 1
        return super().keep(row_id, written, data)


async def test_a_plans_later_batches_decode_each_stored_notice_once_and_word_a_row_written_anew_afresh(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = notify_settings(database_url, "127.0.0.1:9", 25, notify_digest_window_seconds=3600)
    app = create_app(settings, clock=ShiftedClock.on(TODAY))
    app.context.read_back = read_back = CountingReadBack()
    async with batches_of(app.spec, database_url, caplog) as batches:
        for refs in ((1, 2), (3, 4), (5,)):
            assert await batches.handle([ward_task("p", ref) for ref in refs]) == [Outcome.OK] * len(refs)
        # The second batch read task 2 back; the third read 2, 3 and 4, and decoded only 3 and 4.
        assert read_back.decoded == 3
        # Task 2's row written anew under its id (as after a batch rolled back and came again): another
        # moment, other words. The digest must say what the store holds now, not what was kept.
        (second,) = [
            row for row in await inbox(batches, "p") if str(row.data["task_title"]).startswith("Nhiệm vụ 2")
        ]
        async with batches.uow() as uow:
            row = await uow.session.get(Notification, second.id)
            assert row is not None
            row.data = {**row.data, "task_title": "Nhiệm vụ 2: rà soát lại đất công"}
            row.created_at = row.created_at + timedelta(microseconds=1)
            uow.session.add(row)
            await uow.commit()
        assert await batches.handle([ward_task("p", 6)]) == [Outcome.OK]
        assert read_back.decoded == 5  # task 5, which joined in the third batch, and task 2's row anew
        assert not batches.fell_back()
        rows = await inbox(batches, "p")
    (head,) = [row for row in rows if row.state == "sent"]
    assert head.title.startswith("6 nhiệm vụ mới")
    listed = [line for line in head.body.splitlines() if line[:1].isdigit()]
    assert listed == [
        "1. Nhiệm vụ 1: rà soát đất công",
        "2. Nhiệm vụ 2: rà soát lại đất công",
        *(f"{ref}. Nhiệm vụ {ref}: rà soát đất công" for ref in range(3, 7)),
    ]

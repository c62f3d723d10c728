"""The in-process retry loop records each attempt; it stops on success, permanent failure or exhaustion."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from services.notify.channels.delivery import Attempt, deliver_with_retry
from services.notify.channels.inbox import InboxItem
from services.notify.domain.messages import render
from services.notify.domain.notices import PlanRef, ReportMissedNotice
from services.notify.domain.retry import DeliveryResult, Outcome, RetryPolicy

POLICY = RetryPolicy(base=timedelta(seconds=2), cap=timedelta(seconds=30), max_attempts=3)


class ScriptedReceiver:
    """A fake channel answering from a script, one result per call."""

    def __init__(self, *outcomes: Outcome) -> None:
        self._script: Iterator[Outcome] = iter(outcomes)
        self.calls = 0

    async def __call__(self) -> DeliveryResult:
        self.calls += 1
        return DeliveryResult(next(self._script), f"lần {self.calls}")


class Waits:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


async def test_each_attempt_is_reported_to_the_store_before_the_next() -> None:
    send, waits, recorded = ScriptedReceiver(Outcome.TRANSIENT, Outcome.SUCCESS), Waits(), []

    async def record(attempt: Attempt) -> None:
        recorded.append((attempt.number, attempt.result.outcome, len(waits.seconds)))

    run = await deliver_with_retry(send, POLICY, random.Random(5).random, sleep=waits, on_attempt=record)
    assert run.delivered
    assert recorded == [(1, Outcome.TRANSIENT, 0), (2, Outcome.SUCCESS, 1)]
    assert 0 <= waits.seconds[0] < 2


async def test_a_permanent_failure_stops_at_once() -> None:
    send, waits = ScriptedReceiver(Outcome.PERMANENT), Waits()
    run = await deliver_with_retry(send, POLICY, random.Random(5).random, sleep=waits)
    assert (send.calls, waits.seconds, run.delivered) == (1, [], False)
    assert run.attempts[-1].decision.action == "dead_letter"


async def test_transient_failures_stop_after_the_policys_attempts() -> None:
    send, waits = ScriptedReceiver(*[Outcome.TRANSIENT] * 10), Waits()
    run = await deliver_with_retry(send, POLICY, random.Random(5).random, sleep=waits)
    assert send.calls == 3
    assert len(waits.seconds) == 2
    assert run.final.detail == "lần 3"
    assert run.attempts[-1].decision.action == "dead_letter"


def test_an_inbox_item_carries_the_rendered_subject_body_and_link_and_starts_unread() -> None:
    notice = ReportMissedNotice(
        unit_name="UBND phường Tân Hưng",
        period_label="quý I năm 2026",
        deadline=date(2026, 3, 18),
        as_of=date(2026, 3, 20),
        link="https://dondoc.example/bao-cao/q1",
        plan=PlanRef("Kế hoạch thực hiện Nghị quyết số 268/NQ-CP"),
    )
    created = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    item = InboxItem.from_message(render(notice), created)
    assert item.title == "Chưa nhận được báo cáo quý I năm 2026 – đã quá hạn 2 ngày"
    assert "Kính gửi: UBND phường Tân Hưng" in item.body
    assert (item.link, item.kind, item.created_at, item.read_at) == (
        "https://dondoc.example/bao-cao/q1",
        "report_missed",
        created,
        None,
    )

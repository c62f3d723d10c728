"""A unit's leader approval told to the unit (ADR 0120): what waits for the leader, on the leader's page; a
return with the leader's reason, on the page to correct it; an approval says nothing; a redelivery adds
nothing.

Notify's handlers are fed whole batches on a real store, SQLite and PostgreSQL, as its batch consumer does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import col, select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.consumer import Outcome
from services.notify.app import create_app
from services.notify.models import Notification, Subscription
from shared.envelope import wrap
from shared.events import ApprovalDecided, ApprovalRequested, Event, Sender
from tests.support.batches import Batches, batches_of
from tests.support.notify import notify_settings, ward_task

pytestmark = pytest.mark.integration
TODAY = date(2026, 12, 7)
WARD = "11407"
PLAN_ID = "kh-243-2026"
INTAKE = "https://dondoc.haiphong.gov.vn/tiep-nhan"
HOA = Sender(username="hoa.nguyen", name="Nguyễn Thị Hoa")
LAN = Sender(username="lan.tran", name="Trần Thị Lan")
REASON = "Thiếu số, ngày ban hành văn bản rà soát."


def requested(pending_id: str, ref: int | None = None) -> ApprovalRequested:
    about: dict[str, object] = (
        {"kind": "result", "assignment_id": f"a-{ref}", "plan_id": PLAN_ID}
        if ref is not None
        else {"kind": "report", "period_id": "2026-S2"}
    )
    return ApprovalRequested.model_validate(
        {
            "pending_id": pending_id,
            "unit": WARD,
            "submitted_by": HOA,
            "submitted_at": datetime(2026, 12, 7, 2, 0, tzinfo=UTC),
            **about,
        }
    )


def decided(pending_id: str, decision: str, ref: int | None = None) -> ApprovalDecided:
    values = requested(pending_id, ref).model_dump(exclude={"submitted_at"})
    return ApprovalDecided.model_validate(
        {
            **values,
            "decision": decision,
            "note": REASON if decision == "returned" else None,
            "decided_by": LAN,
            "decided_at": datetime(2026, 12, 7, 3, 0, tzinfo=UTC),
            "item_id": "kq-1" if decision == "approved" else None,
        }
    )


async def rows(batches: Batches, kind: str) -> list[Notification]:
    query = (
        select(Notification)
        .where(col(Notification.kind) == kind)
        .order_by(col(Notification.channel), col(Notification.created_at), col(Notification.id))
    )
    async with batches.uow() as uow:
        return list((await uow.session.exec(query)).all())


async def test_what_waits_and_what_was_returned_reach_the_units_channels_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = notify_settings(
        database_url, "127.0.0.1:9", 25, notify_digest_window_seconds=3600, intake_public_url=INTAKE
    )
    app = create_app(settings, clock=ShiftedClock.on(TODAY))
    async with batches_of(app.spec, database_url, caplog) as batches:
        async with batches.uow() as uow:
            uow.session.add(
                Subscription(
                    unit=WARD,
                    emails=["vanthu.anbien@haiphong.gov.vn"],
                    kinds=["approval_waiting", "approval_returned"],
                    updated_at=datetime(2026, 12, 1, tzinfo=UTC),
                )
            )
            await uow.commit()
        first: list[Event] = [ward_task(PLAN_ID, 1, "a-1"), ward_task(PLAN_ID, 2, "a-2"), requested("p-1", 1)]
        assert await batches.handle(first) == [Outcome.OK] * 3
        [waiting_inbox] = [r for r in await rows(batches, "approval_waiting") if r.channel == "inbox"]
        assert waiting_inbox.title == (
            "Chờ lãnh đạo đơn vị duyệt: kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND "
            "do Nguyễn Thị Hoa gửi"
        )
        assert "Nguyễn Thị Hoa đã gửi kết quả thực hiện nhiệm vụ “Nhiệm vụ 1: rà soát đất công”" in (
            waiting_inbox.body
        )
        assert waiting_inbox.link == f"{INTAKE}/workspace/approvals"
        assert waiting_inbox.plan_id == PLAN_ID and waiting_inbox.state == "sent"

        # A second result of the plan joins the unread inbox item; the leader returns the first, approves
        # another (which says nothing), and a report waits; then the broker redelivers the return.
        returned = wrap(decided("p-1", "returned", 1), source="intake", correlation_id="c-return")
        second: list[Event] = [
            requested("p-2", 2),
            decided("p-0", "approved", 2),
            requested("p-3"),
        ]
        assert await batches.handle([*second, returned]) == [Outcome.OK] * 4
        assert await batches.handle([returned]) == [Outcome.DUPLICATE]
        assert not batches.fell_back(), "a batch was handled again one event at a time"

        waiting = await rows(batches, "approval_waiting")
        back = await rows(batches, "approval_returned")

    heads = [r for r in waiting if r.channel == "inbox" and r.state == "sent"]
    assert sorted(h.title for h in heads) == [
        "2 kết quả, báo cáo chờ lãnh đạo đơn vị duyệt theo Kế hoạch số 243/KH-UBND",
        "Chờ lãnh đạo đơn vị duyệt: báo cáo kỳ 2026-S2 do Nguyễn Thị Hoa gửi",
    ]
    assert all(h.link == f"{INTAKE}/workspace/approvals" for h in heads)  # the digest too: the leader's page
    assert [r.channel for r in waiting] == ["email"] * 3 + ["inbox"] * 3
    [inbox] = [r for r in back if r.channel == "inbox"]
    assert [r.channel for r in back] == ["email", "inbox"]  # once per channel, redelivered or not
    assert inbox.title == (
        "Lãnh đạo đơn vị trả lại kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND để chỉnh sửa"
    )
    assert f"Lý do trả lại:\n{REASON}\n" in inbox.body and "(Trần Thị Lan)" in inbox.body
    assert inbox.link == f"{INTAKE}/workspace/assignments/a-1"
    assert inbox.source_event_id == returned.id

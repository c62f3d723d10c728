"""A plan confirmed upstream reaches each unit via the tasks service: one digest e-mail, one inbox item."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from dondoc.kernel.clock import VIETNAM, ShiftedClock
from services.notify.app import create_app as create_notify
from services.tasks.app import create_app as create_tasks
from services.tasks.settings import TasksSettings
from shared import topics
from shared.envelope import wrap
from shared.events import PlanReceived, PlanTask, ReportDue, Timeframe, UnitRef
from tests.support import ADMIN_TOKEN, eventually, publish_raw, read_topic, running
from tests.support.notify import AUTH, Mailbox, body_of, notify_settings

WARD = "11407"
MAIL_TO = "vanthu.anbien@haiphong.gov.vn"
TITLES = [f"Nhiệm vụ số {i}: rà soát, cập nhật dữ liệu đất đai tổ dân phố {i}" for i in range(1, 18)]
DUE = date(2027, 2, 28)


def _plan() -> PlanReceived:
    tasks = [
        PlanTask(
            ref=f"II.{i}",
            title=title,
            lead=[UnitRef(text="UBND phường An Biên", unit=WARD)],
            timeframe=Timeframe(text="Trước ngày 28/02/2027", kind="deadline", due=DUE),
        )
        for i, title in enumerate(TITLES, start=1)
    ]
    return PlanReceived(
        plan_id="kh-243-2026",
        number="243/KH-UBND",
        title="Kế hoạch triển khai thi hành Luật Đất đai năm 2024 trên địa bàn thành phố",
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=tasks,
    )


async def _count(client: httpx.AsyncClient, unit: str, **filters: str) -> int:
    answer = await client.get(f"/units/{unit}/notifications", params=filters, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return len(answer.json())


async def test_a_plan_of_17_tasks_reaches_the_ward_as_one_digest_email_and_one_inbox_item(
    broker: str, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, smtp_port = mailbox
    clock = ShiftedClock()
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=VIETNAM))
    notify = create_notify(
        notify_settings(
            f"sqlite:///{tmp_path}/notify.db", broker, smtp_port, notify_digest_window_seconds=60
        ),
        clock=clock,
    )
    tasks = create_tasks(
        TasksSettings(
            database_url=f"sqlite:///{tmp_path}/tasks.db",
            kafka_bootstrap=broker,
            dondoc_admin_token=ADMIN_TOKEN,
        )
    )
    async with running(tasks), running(notify) as client:
        saved = await client.put(
            f"/units/{WARD}/subscription",
            json={"emails": [MAIL_TO]},
            headers=AUTH | {"Idempotency-Key": "s1"},
        )
        assert saved.status_code == 200, saved.text
        plan = wrap(_plan(), source="intake", correlation_id="test-digest")
        await publish_raw(broker, topics.PLAN_RECEIVED, plan.to_bytes(), key=b"HP")

        async def all_recorded() -> bool:
            return await _count(client, WARD, channel="email", state="pending") == len(TITLES)

        await eventually(all_recorded, what="17 email notifications recorded")
        assert box.raw == []  # still inside the digest window
        clock.offset += timedelta(seconds=61)

        async def all_sent() -> bool:
            return await _count(client, WARD, channel="email", state="sent") == len(TITLES)

        await eventually(all_sent, what="the digest sent")
        [digest] = box.messages()
        assert digest["To"] == MAIL_TO
        assert str(len(TITLES)) in digest["Subject"] and "243/KH-UBND" in digest["Subject"]
        text = body_of(digest)
        assert all(title in text for title in TITLES)
        assert "ngày 28/02/2027" in text and "UBND phường An Biên" in text
        assert "http://127.0.0.1:8001/workspace/assignments/" in text

        # The inbox too holds one item for the plan, listing every task.
        [item] = (await client.get(f"/inbox/{WARD}", params={"unread": "true"}, headers=AUTH)).json()
        assert item["title"] == f"{len(TITLES)} nhiệm vụ mới theo Kế hoạch số 243/KH-UBND"
        assert all(title in item["body"] for title in TITLES)
        read = await client.post(f"/inbox/{WARD}/{item['id']}/read", headers=AUTH)
        assert read.status_code == 200 and read.json()["read_at"]
        assert (await client.get(f"/inbox/{WARD}", params={"unread": "true"}, headers=AUTH)).json() == []

        # The broker redelivers one assignment; a report reminder keyed the same way follows it,
        # so once the reminder is recorded the redelivered event has certainly been consumed.
        assigned = await read_topic(broker, topics.TASK_ASSIGNED, expect=len(TITLES))
        await publish_raw(broker, topics.TASK_ASSIGNED, assigned[0].to_bytes(), key=WARD.encode())
        reminder = ReportDue(
            obligation_id="bc-quy",
            unit=WARD,
            period_id="Quý IV/2026",
            window_start=date(2026, 9, 15),
            window_end=date(2026, 12, 14),
            deadline=date(2026, 12, 15),
        )
        sentinel = wrap(reminder, source="tasks", correlation_id="test-redelivery")
        await publish_raw(broker, topics.REPORT_DUE, sentinel.to_bytes(), key=WARD.encode())

        async def reminder_recorded() -> bool:
            return await _count(client, WARD, channel="inbox") == len(TITLES) + 1

        await eventually(reminder_recorded, what="the report reminder recorded")
        clock.offset += timedelta(seconds=61)

        async def reminder_sent() -> bool:
            return await _count(client, WARD, channel="email", state="sent") == len(TITLES) + 1

        await eventually(reminder_sent, what="the report reminder mailed")
        mails = box.messages()
        assert len(mails) == 2 and len({m["Message-ID"] for m in mails}) == 2
        assert "Quý IV/2026" in body_of(mails[1])

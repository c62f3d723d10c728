"""The day a city plan arrives: one digest per plan per unit on every channel, the inbox included.

A task given after its deadline is said so once ("giao khi đã quá hạn ngày …") instead of a "new task"
and an "overdue 190 days" notice; reminders about a task given today add nothing either.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from dondoc.kernel.clock import VIETNAM, ShiftedClock
from services.notify.app import create_app as create_notify
from shared.envelope import wrap
from shared.events import DeadlineNear, Event, TaskAssigned, TaskOverdue, Timeframe
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, Mailbox, notify_settings

WARD = "11407"
MAIL_TO = "vanthu.anbien@haiphong.gov.vn"
INTAKE = "https://dondoc.haiphong.gov.vn/tiep-nhan"
PLAN_ID = "kh-243-2026"
LATE, SOON, LATER = date(2026, 6, 1), date(2026, 12, 4), date(2027, 2, 28)
# (ref, role, due): two given after their deadline, one coordinating, one due in three days.
TASKS = [
    ("II.1", "chu_tri", LATE),
    ("II.2", "phoi_hop", LATE),
    ("II.3", "chu_tri", SOON),
    ("II.4", "phoi_hop", LATER),
    ("II.5", "chu_tri", LATER),
]


def _assigned(ref: str, role: str, due: date) -> TaskAssigned:
    return TaskAssigned.model_validate(
        {
            "assignment_id": f"a-{ref}",
            "plan_id": PLAN_ID,
            "plan_version": 1,
            "plan_number": "243/KH-UBND",
            "plan_title": "Kế hoạch triển khai thi hành Luật Đất đai năm 2024",
            "task_ref": ref,
            "task_title": f"Nhiệm vụ {ref}: rà soát đất công",
            "unit": WARD,
            "unit_name": "UBND phường An Biên",
            "role": role,
            "timeframe": Timeframe(kind="deadline", due=due),
        }
    )


async def _publish(broker: str, event: Event) -> None:
    envelope = wrap(event, source="tasks", correlation_id="test-plan-day")
    await publish_raw(broker, event.topic, envelope.to_bytes(), key=WARD.encode())


async def _rows(client: httpx.AsyncClient, **filters: str) -> list[dict[str, object]]:
    answer = await client.get(f"/units/{WARD}/notifications", params=filters, headers=AUTH)
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, object]] = answer.json()
    return rows


async def test_a_plan_day_is_one_digest_per_channel_and_a_late_task_one_notice_saying_so(
    broker: str, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, smtp_port = mailbox
    clock = ShiftedClock()
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=VIETNAM))
    settings = notify_settings(
        f"sqlite:///{tmp_path}/notify.db",
        broker,
        smtp_port,
        intake_public_url=INTAKE,
        notify_digest_window_seconds=60,
    )
    async with running(create_notify(settings, clock=clock)) as client:
        saved = await client.put(
            f"/units/{WARD}/subscription", json={"emails": [MAIL_TO]}, headers=AUTH | {"Idempotency-Key": "s"}
        )
        assert saved.status_code == 200, saved.text
        for ref, role, due in TASKS:
            await _publish(broker, _assigned(ref, role, due))

        async def all_assigned() -> bool:
            rows = await _rows(client, channel="inbox")
            return sum(r["kind"] == "task_assigned" for r in rows) == len(TASKS)

        await eventually(all_assigned, what="the five assignments recorded")
        # What tasks' reminder tick sends the same morning, then a reminder about a task notify never
        # heard of on each topic: once those are recorded, the ones before them were consumed.
        for ref, _role, due in TASKS:
            if due == LATE:
                await _publish(broker, TaskOverdue(assignment_id=f"a-{ref}", unit=WARD, due=due))
        await _publish(
            broker, DeadlineNear(assignment_id="a-II.3", unit=WARD, due=SOON, days_left=3, offset_days=3)
        )
        await _publish(broker, TaskOverdue(assignment_id="a-old", unit=WARD, due=LATE))
        await _publish(
            broker, DeadlineNear(assignment_id="a-old2", unit=WARD, due=SOON, days_left=3, offset_days=3)
        )

        async def sentinels() -> bool:
            return len(await _rows(client, channel="inbox")) == len(TASKS) + 2

        await eventually(sentinels, what="the two unrelated reminders recorded")
        reminders = [r for r in await _rows(client) if r["kind"] != "task_assigned"]
        assert all(str(r["link"]).endswith(("/a-old", "/a-old2")) for r in reminders), reminders

        inbox = (await client.get(f"/inbox/{WARD}", headers=AUTH)).json()
        [digest] = [item for item in inbox if item["kind"] == "task_assigned"]
        assert len(inbox) == 3
        assert digest["title"] == "5 nhiệm vụ mới theo Kế hoạch số 243/KH-UBND"
        assert digest["link"] == f"{INTAKE}/workspace?unit={WARD}"
        body = digest["body"]
        assert all(f"Nhiệm vụ {ref}: rà soát đất công" in body for ref, _r, _d in TASKS)
        assert body.count("giao khi đã quá hạn ngày 01/06/2026") == 2
        assert "quá hạn 183 ngày" not in body and "ngày 04/12/2026 (còn 3 ngày)" in body
        assert f"{INTAKE}/workspace/assignments/a-II.2" in body

        clock.offset += timedelta(seconds=61)

        async def mailed() -> bool:
            return len(box.messages()) == 3

        await eventually(mailed, what="the digest and the two reminders mailed")
        subjects = sorted(str(m["Subject"]) for m in box.messages())
        assert "5 nhiệm vụ mới theo Kế hoạch số 243/KH-UBND" in subjects
        assert sum("nhiệm vụ mới" in s.lower() for s in subjects) == 1

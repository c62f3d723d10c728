"""Overdue escalation goes to the lead; a coordinating unit gets a gentler reminder; settings decide both."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from dondoc.kernel.clock import VIETNAM, ShiftedClock
from services.notify.app import create_app as create_notify
from shared.envelope import wrap
from shared.events import Event, TaskAssigned, TaskOverdue, Timeframe
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, Mailbox, notify_settings

LEAD, COORDINATOR, SENTINEL = "11407", "11410", "11413"
DUE = date(2026, 12, 3)


def _assigned(unit: str, role: str) -> TaskAssigned:
    return TaskAssigned.model_validate(
        {
            "assignment_id": f"a-{unit}",
            "plan_id": "kh-243-2026",
            "plan_version": 1,
            "plan_number": "243/KH-UBND",
            "plan_title": "Kế hoạch triển khai thi hành Luật Đất đai năm 2024",
            "task_ref": "II.1",
            "task_title": "Rà soát đất công",
            "unit": unit,
            "unit_name": f"Đơn vị {unit}",
            "role": role,
            "timeframe": Timeframe(kind="deadline", due=DUE),
        }
    )


async def _publish(broker: str, event: Event) -> None:
    await publish_raw(
        broker, event.topic, wrap(event, source="tasks", correlation_id="t").to_bytes(), key=b"k"
    )


async def _titles(client: httpx.AsyncClient, unit: str) -> list[str]:
    answer = await client.get(f"/inbox/{unit}", headers=AUTH)
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json() if item["kind"] == "overdue"]


ESCALATED = "Nhiệm vụ đã quá hạn 5 ngày: Rà soát đất công"
GENTLE = "Nhắc phối hợp: nhiệm vụ đã quá thời hạn ngày 03/12/2026: Rà soát đất công"


@pytest.mark.parametrize(
    ("lead", "coordinators", "lead_hears", "coordinator_hears"),
    [
        ("escalate", "gentle", [ESCALATED], [GENTLE]),  # the defaults
        ("gentle", "off", [GENTLE.replace("Nhắc phối hợp", "Nhắc thực hiện")], []),
    ],
)
async def test_overdue_is_escalated_to_the_lead_and_gentle_for_coordinators(
    broker: str,
    tmp_path: Path,
    mailbox: tuple[Mailbox, int],
    lead: str,
    coordinators: str,
    lead_hears: list[str],
    coordinator_hears: list[str],
) -> None:
    _box, smtp_port = mailbox
    clock = ShiftedClock()
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=VIETNAM))
    overrides: dict[str, object] = {"notify_overdue_lead": lead, "notify_overdue_coordinators": coordinators}
    settings = notify_settings(f"sqlite:///{tmp_path}/notify.db", broker, smtp_port, **overrides)
    async with running(create_notify(settings, clock=clock)) as client:
        for unit, role in ((LEAD, "chu_tri"), (COORDINATOR, "phoi_hop"), (SENTINEL, "chu_tri")):
            await _publish(broker, _assigned(unit, role))

        async def assigned() -> bool:
            inboxes = [(await client.get(f"/inbox/{u}", headers=AUTH)).json() for u in (LEAD, COORDINATOR)]
            return all(len(items) == 1 for items in inboxes)

        await eventually(assigned, what="both assignments recorded")
        clock.set(datetime(2026, 12, 8, 9, 0, tzinfo=VIETNAM))
        for unit in (LEAD, COORDINATOR, SENTINEL):  # one partition: the sentinel comes last
            await _publish(broker, TaskOverdue(assignment_id=f"a-{unit}", unit=unit, due=DUE))

        async def sentinel() -> bool:
            sentinel_lead_tone = settings.notify_overdue_lead != "off"
            return not sentinel_lead_tone or bool(await _titles(client, SENTINEL))

        await eventually(sentinel, what="the last overdue event consumed")
        assert await _titles(client, LEAD) == lead_hears
        assert await _titles(client, COORDINATOR) == coordinator_hears

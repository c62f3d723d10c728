"""A result returned by the compiler reaches the ward once, with the reason; an acceptance says nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from services.notify.app import create_app as create_notify
from shared import topics
from shared.envelope import Envelope, wrap
from shared.events import SubmissionReviewed, TaskAssigned, Timeframe
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, Mailbox, notify_settings

WARD = "11407"
PLAN_ID = "kh-243-2026"
MAIL_TO = "vanthu.anbien@haiphong.gov.vn"
REASON = "Chưa nêu số liệu diện tích đất công đã rà soát; đề nghị bổ sung biểu mẫu số 02."
INTAKE = "https://dondoc.haiphong.gov.vn/tiep-nhan"


def _reviewed(
    item_id: str, decision: str, *, kind: str = "result", plan_id: str | None = PLAN_ID
) -> Envelope:
    event = SubmissionReviewed.model_validate(
        {
            "kind": kind,
            "item_id": item_id,
            "version": 2,
            "unit": WARD,
            "decision": decision,
            "note": REASON if decision == "returned" else None,
            "plan_id": plan_id,
            "reviewed_at": datetime(2026, 7, 3, 2, 30, tzinfo=UTC),
        }
    )
    return wrap(event, source="reporting", correlation_id=f"test-review-{item_id}")


async def _publish(broker: str, envelope: Envelope) -> None:
    await publish_raw(broker, topics.SUBMISSION_REVIEWED, envelope.to_bytes(), key=WARD.encode())


async def _inbox(client: httpx.AsyncClient) -> list[dict[str, str]]:
    answer = await client.get(f"/inbox/{WARD}", headers=AUTH)
    assert answer.status_code == 200, answer.text
    return [item for item in answer.json() if item["kind"] == "returned"]


async def _emails(client: httpx.AsyncClient) -> list[dict[str, str]]:
    answer = await client.get(f"/units/{WARD}/notifications", params={"channel": "email"}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return [row for row in answer.json() if row["kind"] == "returned"]


async def test_a_returned_result_is_one_notification_with_its_reason_and_a_redelivery_adds_none(
    broker: str, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, smtp_port = mailbox
    settings = notify_settings(f"sqlite:///{tmp_path}/notify.db", broker, smtp_port, intake_public_url=INTAKE)
    async with running(create_notify(settings)) as client:
        saved = await client.put(
            f"/units/{WARD}/subscription",
            json={"emails": [MAIL_TO], "kinds": ["returned"]},
            headers=AUTH | {"Idempotency-Key": "s-returned"},
        )
        assert saved.status_code == 200, saved.text
        # Notify learns the plan from an assignment of it, as it does in production.
        assigned = TaskAssigned(
            assignment_id="a-1",
            plan_id=PLAN_ID,
            plan_version=1,
            plan_number="243/KH-UBND",
            plan_title="Kế hoạch triển khai thi hành Luật Đất đai năm 2024",
            task_ref="II.1",
            task_title="Rà soát đất công",
            unit=WARD,
            unit_name="UBND phường An Biên",
            role="chu_tri",
            timeframe=Timeframe(kind="deadline", due=date(2027, 2, 28)),
        )
        envelope = wrap(assigned, source="tasks", correlation_id="test-returned-plan")
        await publish_raw(broker, topics.TASK_ASSIGNED, envelope.to_bytes(), key=WARD.encode())

        async def plan_known() -> bool:
            answer = await client.get(f"/inbox/{WARD}", headers=AUTH)
            return len(answer.json()) == 1

        await eventually(plan_known, what="the assignment recorded")

        returned = _reviewed("kq-11407-7", "returned")
        await _publish(broker, returned)
        [item] = await eventually(lambda: _inbox(client), what="the returned result in the inbox")
        assert item["title"] == "Kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND cần chỉnh sửa"
        assert REASON in item["body"] and "gửi lại phiên bản mới" in item["body"]
        assert item["link"] == f"{INTAKE}/workspace/results/kq-11407-7"

        # An acceptance, the broker redelivering the return, then a returned report on the same
        # partition: once the report is recorded, the two before it have certainly been consumed.
        accepted = _reviewed("kq-11407-8", "accepted")
        report = _reviewed("bc-11407-s1", "returned", kind="report", plan_id=None)
        for envelope in (accepted, returned, report):
            await _publish(broker, envelope)

        async def report_recorded() -> list[dict[str, str]]:
            items = await _inbox(client)
            return items if any(i["title"] == "Báo cáo định kỳ cần chỉnh sửa" for i in items) else []

        items = await eventually(report_recorded, what="the returned report in the inbox")
        assert sorted(i["link"] for i in items) == [
            f"{INTAKE}/workspace/report-versions/bc-11407-s1",
            f"{INTAKE}/workspace/results/kq-11407-7",
        ]
        everything = (await client.get(f"/inbox/{WARD}", headers=AUTH)).json()
        assert len(everything) == 3  # the assignment and the two returns; nothing for the acceptance
        emails = await _emails(client)
        assert sorted(row["source_event_id"] for row in emails) == sorted([returned.id, report.id])

        async def mailed() -> bool:
            return len(box.messages()) == 2

        await eventually(mailed, what="both returns mailed")
        subjects = sorted(str(m["Subject"]) for m in box.messages())
        assert subjects == [
            "Báo cáo định kỳ cần chỉnh sửa",
            "Kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND cần chỉnh sửa",
        ]

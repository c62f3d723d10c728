"""Every channel (inbox, e-mail, webhook) links to the workspace page of what the notice is about."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from services.notify.app import create_app as create_notify
from shared.envelope import wrap
from shared.events import Event, ReportDue, SubmissionReviewed, TaskAssigned, Timeframe
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, WEBHOOK_SECRET, Mailbox, WardSystem, body_of, notify_settings

WARD = "11407"
MAIL_TO = "vanthu.anbien@haiphong.gov.vn"
INTAKE = "https://dondoc.haiphong.gov.vn/tiep-nhan"
PLAN_ID = "kh-243-2026"


def _events() -> list[Event]:
    assigned = TaskAssigned(
        assignment_id="a-243-II.1-11407",
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
    due = ReportDue(
        obligation_id="bc-quy",
        unit=WARD,
        period_id="2026-Q4",
        window_start=date(2026, 9, 15),
        window_end=date(2026, 12, 14),
        deadline=date(2026, 12, 15),
        plan_id=PLAN_ID,
    )
    returned = SubmissionReviewed(
        kind="result",
        item_id="kq-11407-7",
        version=2,
        unit=WARD,
        decision="returned",
        note="Bổ sung biểu mẫu số 02.",
        plan_id=PLAN_ID,
        reviewed_at=datetime(2026, 7, 3, 2, 30, tzinfo=UTC),
    )
    report = returned.model_copy(update={"kind": "report", "item_id": "bc-11407-s1", "plan_id": None})
    return [assigned, due, returned, report]


EXPECTED: dict[str, set[str]] = {
    "task_assigned": {f"{INTAKE}/workspace/assignments/a-243-II.1-11407"},
    "report_due": {f"{INTAKE}/workspace/reports/{PLAN_ID}/2026-Q4?unit={WARD}"},
    "returned": {f"{INTAKE}/workspace/results/kq-11407-7", f"{INTAKE}/workspace/report-versions/bc-11407-s1"},
}


def _expected(kind: str) -> set[str]:
    return EXPECTED[kind]


async def test_inbox_email_and_webhook_link_to_the_workspace_page_of_what_they_are_about(
    broker: str, tmp_path: Path, mailbox: tuple[Mailbox, int], ward: tuple[WardSystem, str]
) -> None:
    box, smtp_port = mailbox
    system, url = ward
    settings = notify_settings(f"sqlite:///{tmp_path}/notify.db", broker, smtp_port, intake_public_url=INTAKE)
    async with running(create_notify(settings)) as client:
        body = {"emails": [MAIL_TO], "webhook_url": url, "webhook_secret": WEBHOOK_SECRET}
        saved = await client.put(
            f"/units/{WARD}/subscription", json=body, headers=AUTH | {"Idempotency-Key": "s-links"}
        )
        assert saved.status_code == 200, saved.text
        for event in _events():
            envelope = wrap(event, source="tasks", correlation_id="test-links")
            await publish_raw(broker, event.topic, envelope.to_bytes(), key=WARD.encode())

        async def delivered() -> bool:
            return len(box.messages()) == 4 and len(system.accepted) == 4

        await eventually(delivered, what="four e-mails and four webhooks delivered")

        inbox = (await client.get(f"/inbox/{WARD}", headers=AUTH)).json()
        assert len(inbox) == 4
        for kind in EXPECTED:
            assert {i["link"] for i in inbox if i["kind"] == kind} == _expected(kind), kind

        posted = [json.loads(raw) for _id, raw in system.accepted]
        for kind in EXPECTED:
            assert {p["link"] for p in posted if p["kind"] == kind} == _expected(kind), kind

        everything = set().union(*(_expected(kind) for kind in EXPECTED))
        for mail in box.messages():
            text = body_of(mail)
            html = body_of(mail, "html")
            named = {link for link in everything if link in text}
            assert len(named) == 1, text
            assert next(iter(named)).replace("&", "&amp;") in html

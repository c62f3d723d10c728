"""Quiet hours: a ward that asked for silence at night gets its mail when the night ends, not before."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from dondoc.kernel.clock import VIETNAM, ShiftedClock
from services.notify.app import create_app
from shared.envelope import wrap
from shared.events import ReportMissed
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, Mailbox, body_of, notify_settings

WARD = "11407"
NIGHT = datetime(2026, 12, 15, 23, 0, tzinfo=VIETNAM)
MORNING = datetime(2026, 12, 16, 6, 30, tzinfo=VIETNAM)


async def _email_row(client: httpx.AsyncClient) -> dict[str, str]:
    rows = (
        await client.get(f"/units/{WARD}/notifications", params={"channel": "email"}, headers=AUTH)
    ).json()
    return rows[0] if rows else {}


async def test_a_reminder_published_at_night_waits_for_the_end_of_quiet_hours(
    broker: str, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, smtp_port = mailbox
    clock = ShiftedClock()
    clock.set(NIGHT)
    settings = notify_settings(
        f"sqlite:///{tmp_path}/notify.db", broker, smtp_port, notify_digest_window_seconds=0
    )
    async with running(create_app(settings, clock=clock)) as client:
        quiet = {"emails": ["vanthu.anbien@haiphong.gov.vn"], "quiet_start": "22:00", "quiet_end": "06:30"}
        assert (await client.put(f"/units/{WARD}/subscription", json=quiet, headers=AUTH)).status_code == 200
        missed = ReportMissed(
            obligation_id="bc-thang", unit=WARD, period_id="tháng 11/2026", deadline=date(2026, 12, 15)
        )
        envelope = wrap(missed, source="tasks", correlation_id="test-quiet")
        await publish_raw(broker, missed.topic, envelope.to_bytes(), key=WARD.encode())

        async def held() -> dict[str, str]:
            row = await _email_row(client)
            moved = row and datetime.fromisoformat(row["next_attempt_at"]) >= MORNING - timedelta(seconds=1)
            return row if moved else {}

        row = await eventually(held, what="the worker holding the mail until morning")
        assert row["state"] == "pending" and box.raw == []
        assert datetime.fromisoformat(row["next_attempt_at"]).astimezone(VIETNAM) == MORNING

        clock.set(MORNING + timedelta(minutes=1))

        async def sent() -> dict[str, str]:
            row = await _email_row(client)
            return row if row.get("state") == "sent" else {}

        await eventually(sent, what="the mail sent in the morning")
        [mail] = box.messages()
        assert "tháng 11/2026" in body_of(mail)

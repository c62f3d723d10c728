"""Webhook delivery that holds: signed, retried, dead-lettered on refusal, re-sent, once across restarts."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import httpx

from services.notify.app import create_app
from shared.envelope import wrap
from shared.events import DeadlineNear, Event, TaskOverdue
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, WEBHOOK_SECRET, Mailbox, WardSystem, notify_settings

WARD, OTHER = "11407", "11410"


async def _publish(broker: str, event: Event, unit: str) -> str:
    envelope = wrap(event, source="tasks", correlation_id="test-webhook")
    await publish_raw(broker, event.topic, envelope.to_bytes(), key=unit.encode())
    return envelope.id


async def _webhook_rows(client: httpx.AsyncClient, unit: str, state: str) -> list[dict[str, object]]:
    answer = await client.get(
        f"/units/{unit}/notifications", params={"channel": "webhook", "state": state}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, object]] = answer.json()
    return rows


async def _subscribe(client: httpx.AsyncClient, unit: str, url: str) -> None:
    body = {"webhook_url": url, "webhook_secret": WEBHOOK_SECRET, "kinds": ["deadline_near", "overdue"]}
    answer = await client.put(f"/units/{unit}/subscription", json=body, headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert answer.json()["has_webhook_secret"] and "webhook_secret" not in answer.json()


async def test_webhooks_are_retried_dead_lettered_resent_and_never_repeated_after_a_restart(
    broker: str, database_url: str, tmp_path: Path, ward: tuple[WardSystem, str], mailbox: tuple[Mailbox, int]
) -> None:
    system, url = ward
    settings = notify_settings(database_url, broker, mailbox[1], notify_digest_window_seconds=0)
    system.fail_first = 2
    async with running(create_app(settings)) as client:
        await _subscribe(client, WARD, url)
        await _subscribe(client, OTHER, url + "-khong-ton-tai")  # the ward's system answers 404
        near = DeadlineNear(assignment_id="a-1", unit=WARD, due=date(2027, 2, 28), days_left=3, offset_days=3)
        source = await _publish(broker, near, WARD)
        await _publish(broker, TaskOverdue(assignment_id="a-2", unit=OTHER, due=date(2026, 11, 30)), OTHER)

        [sent] = await eventually(lambda: _webhook_rows(client, WARD, "sent"), what="the webhook accepted")
        assert [event_id for event_id, _ in system.accepted] == [sent["batch_id"]]
        assert len(system.seen) == 3 and all(genuine for _, genuine in system.seen)
        delivered = json.loads(system.accepted[0][1])
        assert delivered["source_event_ids"] == [source] and "ngày 28/02/2027" in delivered["text"]
        detail = (await client.get(f"/notifications/{sent['id']}", headers=AUTH)).json()
        assert [a["outcome"] for a in detail["log"]] == ["transient", "transient", "success"]

        # a list says how many match and where the next page is, instead of stopping silently at its limit
        everything = await client.get(f"/units/{WARD}/notifications", headers=AUTH)
        total = int(everything.headers["X-Total-Count"])
        assert total == len(everything.json()) >= 2 and "Link" not in everything.headers
        first = await client.get(f"/units/{WARD}/notifications", params={"limit": 1}, headers=AUTH)
        assert first.headers["X-Total-Count"] == str(total) and len(first.json()) == 1
        second = await client.get(first.headers["Link"].split(";")[0].strip("<>"), headers=AUTH)
        assert len(second.json()) == 1 and second.json()[0]["id"] != first.json()[0]["id"]
        inbox = await client.get(f"/inbox/{WARD}", params={"limit": 100000}, headers=AUTH)
        assert inbox.status_code == 422, inbox.text  # at most 1000 a page, said rather than clamped
        assert all(a["latency_ms"] >= 0 and a["detail"] for a in detail["log"])

        [dead] = await eventually(
            lambda: _webhook_rows(client, OTHER, "dead"), what="the refusal dead-lettered"
        )
        listed = (await client.get("/admin/dead-notifications", headers=AUTH)).json()
        assert [row["id"] for row in listed] == [dead["id"]]
        detail = (await client.get(f"/notifications/{dead['id']}", headers=AUTH)).json()
        assert [a["outcome"] for a in detail["log"]] == ["permanent"]  # a 404 is never retried

        await _subscribe(client, OTHER, url)  # the ward fixed its address; an operator re-sends
        resent = await client.post(f"/admin/notifications/{dead['id']}/resend", headers=AUTH)
        assert resent.status_code == 202, resent.text
        await eventually(lambda: _webhook_rows(client, OTHER, "sent"), what="the re-sent webhook accepted")
        metrics = (await client.get("/metrics")).text
        assert 'dondoc_notifications_total{channel="webhook",outcome="failed"} 2.0' in metrics
        assert 'dondoc_notifications_total{channel="webhook",outcome="dead_lettered"} 1.0' in metrics
        assert 'dondoc_notifications_total{channel="webhook",outcome="sent"} 2.0' in metrics
        assert 'dondoc_notification_delivery_seconds_count{channel="webhook"} 5.0' in metrics
        # the delivery worker is the platform's job: its rounds are counted on this service's registry
        rounds = re.search(r'^dondoc_job_runs_total\{name="notify-delivery"\} ([0-9.]+)$', metrics, re.M)
        assert rounds is not None and float(rounds.group(1)) >= 1
        assert 'dondoc_job_failures_total{name="notify-delivery"}' in metrics

    # While notify is down another reminder is published; a new process on the same store sends it
    # and nothing it had already sent.
    later = await _publish(broker, TaskOverdue(assignment_id="a-1", unit=WARD, due=date(2027, 2, 28)), WARD)
    async with running(create_app(settings)) as client:
        rows = await eventually(lambda: _rows_if(client, WARD, 2), what="the reminder sent after the restart")
        assert {json.loads(body)["source_event_ids"][0] for _, body in system.accepted} >= {later, source}
        event_ids = [event_id for event_id, _ in system.accepted]
        assert len(event_ids) == len(set(event_ids)) == 3
        assert {row["batch_id"] for row in rows} <= set(event_ids)


async def _rows_if(client: httpx.AsyncClient, unit: str, count: int) -> list[dict[str, object]]:
    rows = await _webhook_rows(client, unit, "sent")
    return rows if len(rows) == count else []

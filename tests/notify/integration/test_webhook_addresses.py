"""A webhook reaches a unit's public system and nothing else: no loopback, link-local or private address.

Notify runs on the real broker with its own store, with production's setting (no loopback receivers) unless
a test opts in as development does; the ward's receiver is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select

from dondoc.platform.runtime import Runtime
from services.notify.app import create_app
from services.notify.models import Subscription
from shared.envelope import wrap
from shared.events import TaskOverdue
from tests.support import eventually, publish_raw, running
from tests.support.notify import AUTH, WEBHOOK_SECRET, Mailbox, WardSystem, notify_settings

pytestmark = pytest.mark.integration
WARD = "11407"
INSIDE = [
    "http://127.0.0.1:8001/admin/keys",
    "http://[::1]:8003/admin/tick",
    "http://169.254.169.254/latest/meta-data/",
    "https://127.0.0.1/dondoc",
    "https://localhost/dondoc",
    "https://[::1]/dondoc",
    "https://[::ffff:127.0.0.1]/dondoc",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fe80::1]/dondoc",
    "https://10.0.0.7/dondoc",
    "https://172.16.3.4/dondoc",
    "https://192.168.1.10/dondoc",
    "https://100.64.0.1/dondoc",
    "https://[fd00::1]/dondoc",
    "https://0.0.0.0/dondoc",
    "https://khong-ton-tai.invalid/dondoc",
    "http://phuong-an-bien.gov.vn/dondoc",  # public, but not https
]


async def _refused(runtime: Runtime) -> int:
    table = runtime.spec.tables.audit_log
    query = select(table.c.id).where(table.c.outcome == "refused", table.c.status == 422)
    async with runtime.engine.connect() as conn:
        return len((await conn.execute(query)).all())


async def test_a_webhook_pointing_inside_is_refused_when_saved_and_nothing_is_stored(
    broker: str, database_url: str, mailbox: tuple[Mailbox, int]
) -> None:
    settings = notify_settings(database_url, broker, mailbox[1], notify_webhook_allow_loopback=False)
    app = create_app(settings)
    async with running(app) as client:
        for url in INSIDE:
            body = {"webhook_url": url, "webhook_secret": WEBHOOK_SECRET}
            answer = await client.put(f"/units/{WARD}/subscription", json=body, headers=AUTH)
            assert answer.status_code == 422, (url, answer.text)
            [problem] = answer.json()["detail"]
            assert problem["field"] == "webhook_url"
            assert "địa chỉ" in problem["message"].lower() or "máy chủ" in problem["message"], problem
        assert (await client.get(f"/units/{WARD}/subscription", headers=AUTH)).status_code == 404
        assert await _refused(app.runtime) == len(INSIDE)  # each refusal audited


async def test_a_subscription_stored_before_the_check_is_refused_at_send(
    broker: str, database_url: str, ward: tuple[WardSystem, str], mailbox: tuple[Mailbox, int]
) -> None:
    system, url = ward  # a real receiver on 127.0.0.1, stored when nothing checked addresses
    settings = notify_settings(
        database_url,
        broker,
        mailbox[1],
        notify_webhook_allow_loopback=False,
        notify_max_attempts=1,
        notify_digest_window_seconds=0,
    )
    app = create_app(settings)
    async with running(app) as client:
        async with app.runtime.uow() as uow:
            uow.session.add(
                Subscription(
                    unit=WARD, webhook_url=url, webhook_secret=WEBHOOK_SECRET, updated_at=datetime.now(UTC)
                )
            )
            await uow.commit()
        event = TaskOverdue(assignment_id="a-1", unit=WARD, due=date(2026, 5, 29))
        envelope = wrap(event, source="tasks", correlation_id="ssrf")
        await publish_raw(broker, event.topic, envelope.to_bytes(), key=WARD.encode())

        async def dead() -> list[dict[str, object]] | None:
            params = {"channel": "webhook", "state": "dead"}
            rows: list[dict[str, object]] = (
                await client.get(f"/units/{WARD}/notifications", params=params, headers=AUTH)
            ).json()
            return rows or None

        [row] = await eventually(dead, what="the webhook to loopback refused")
        detail = (await client.get(f"/notifications/{row['id']}", headers=AUTH)).json()
        assert "webhook address refused" in str(detail)
    assert system.seen == []  # the receiver inside was never called


async def test_the_send_connects_to_the_address_it_checked(
    broker: str, database_url: str, ward: tuple[WardSystem, str], mailbox: tuple[Mailbox, int]
) -> None:
    system, url = ward
    port = httpx.URL(url).port
    asked: list[str] = []

    async def resolver(host: str, _port: int) -> list[str]:
        # A name only this resolver knows (.test never resolves in DNS): httpx resolving it again could
        # not connect at all, so a delivery proves the send used the checked address.
        asked.append(host)
        return ["127.0.0.1"] if host == "phuong-an-bien.test" else []

    settings = notify_settings(database_url, broker, mailbox[1], notify_digest_window_seconds=0)
    app = create_app(settings)
    app.context.resolver = resolver
    async with running(app) as client:
        hook = {"webhook_url": f"http://phuong-an-bien.test:{port}/dondoc", "webhook_secret": WEBHOOK_SECRET}
        assert (await client.put(f"/units/{WARD}/subscription", json=hook, headers=AUTH)).status_code == 200
        event = TaskOverdue(assignment_id="a-1", unit=WARD, due=date(2026, 5, 29))
        envelope = wrap(event, source="tasks", correlation_id="pinned")
        await publish_raw(broker, event.topic, envelope.to_bytes(), key=WARD.encode())

        async def accepted() -> bool:
            return bool(system.accepted)

        await eventually(accepted, what="the webhook delivered to the checked address")
    assert system.hosts == [f"phuong-an-bien.test:{port}"]  # the receiver sees the name the unit gave
    assert asked == ["phuong-an-bien.test"] * 2  # once when saved, once at the send

"""What notify's tests share: its settings, a movable clock, an SMTP mailbox and a ward's HTTP system."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage

from aiosmtpd.smtp import Envelope as SmtpEnvelope
from fastapi import FastAPI, Request, Response

from services.notify.channels.webhook import verify_signature
from services.notify.settings import NotifySettings
from shared.events import TaskAssigned, Timeframe
from tests.support import ADMIN_TOKEN

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WEBHOOK_SECRET = "khoa-bi-mat-cua-phuong-an-bien-2026"
# Fernet key the tests' notify encrypts webhook secrets under (production's comes from NOTIFY_SECRETS_KEYS).
SECRETS_KEY = "ZG9uZG9jLW5vdGlmeS10ZXN0LWtleS0yMDI2LTAwMDE="  # "dondoc-notify-test-key-2026-0001"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server accepted, parsed back into messages."""

    raw: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: SmtpEnvelope) -> str:
        assert isinstance(envelope.content, bytes)  # the controller does not decode the data
        self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in list(self.raw)]


@dataclass
class WardSystem:
    """A ward's own system: verifies signatures, fails on purpose, keeps what it accepted."""

    fail_first: int = 0
    fail_status: int = 503
    seen: list[tuple[str, bool]] = field(default_factory=list)
    accepted: list[tuple[str, bytes]] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


def ward_app(ward: WardSystem) -> FastAPI:
    app = FastAPI()

    @app.post("/dondoc")
    async def receive(request: Request) -> Response:
        body = await request.body()
        event_id = request.headers.get("x-dondoc-event-id", "")
        ward.hosts.append(request.headers.get("host", ""))
        genuine = verify_signature(request.headers, body, WEBHOOK_SECRET.encode(), datetime.now(UTC))
        ward.seen.append((event_id, genuine))
        if not genuine:
            return Response(status_code=401)
        if ward.fail_first > 0:
            ward.fail_first -= 1
            return Response(status_code=ward.fail_status)
        ward.accepted.append((event_id, body))
        return Response(status_code=204)

    return app


def body_of(mail: EmailMessage, kind: str = "plain") -> str:
    """A mail's plain or html body, as its reader sees it."""
    part = mail.get_body((kind,))
    assert part is not None, f"the mail has no {kind} part"
    return str(part.get_content())


def notify_settings(database_url: str, broker: str, smtp_port: int, **overrides: object) -> NotifySettings:
    values: dict[str, object] = {
        "database_url": database_url,
        "kafka_bootstrap": broker,
        "dondoc_admin_token": ADMIN_TOKEN,
        "notify_smtp_host": "127.0.0.1",
        "notify_smtp_port": smtp_port,
        "notify_smtp_from": "dondoc@haiphong.gov.vn",
        "notify_worker_poll_seconds": 0.1,
        "notify_digest_window_seconds": 0.5,
        "notify_retry_base_seconds": 0.05,
        "notify_retry_cap_seconds": 0.2,
        "notify_max_attempts": 4,
        "notify_webhook_allow_loopback": True,  # the ward's receiver listens on 127.0.0.1
        "notify_secrets_keys": SECRETS_KEY,
        "shutdown_grace_seconds": 3.0,
    }
    values.update(overrides)
    # Each test overrides different settings; pydantic checks them (a model_validate would skip the env).
    return NotifySettings(**values)  # type: ignore[arg-type]


def ward_task(plan_id: str, ref: int, assignment_id: str | None = None) -> TaskAssigned:
    """Task `ref` of plan 243/KH-UBND, An Biên (11407) its lead, due at the end of 2026."""
    return TaskAssigned(
        assignment_id=assignment_id or f"{plan_id}-{ref}",
        plan_id=plan_id,
        plan_version=1,
        plan_number="243/KH-UBND",
        plan_title="Kế hoạch triển khai thi hành Luật Đất đai năm 2024",
        task_ref=str(ref),
        task_title=f"Nhiệm vụ {ref}: rà soát đất công",
        unit="11407",
        unit_name="UBND phường An Biên",
        role="chu_tri",
        timeframe=Timeframe(kind="deadline", due=date(2026, 12, 31)),
    )

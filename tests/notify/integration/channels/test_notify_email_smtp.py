"""Email notifications reach a real SMTP server (aiosmtpd) and read back as correct Vietnamese mail."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from aiosmtpd.smtp import Envelope as SmtpEnvelope

from services.notify.channels.email import SmtpSettings, send_email
from services.notify.domain.messages import render
from services.notify.domain.notices import Message, PlanRef, TaskAssignedNotice
from services.notify.domain.retry import Outcome

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SUBJECT_WORDS = "Nhiệm vụ mới (chủ trì): Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15"


def _message() -> Message:
    return render(
        TaskAssignedNotice(
            unit_name="UBND phường An Biên",
            plan=PlanRef("Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15", "243/KH-UBND"),
            task_title="Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15",
            role="chu_tri",
            due=date(2027, 2, 28),
            as_of=date(2027, 2, 23),
            link="https://dondoc.example/giao-viec/a-1",
        )
    )


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it accepted and refuses chosen recipients."""

    refuse: dict[str, str] = field(default_factory=dict)
    received: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: object, session: object, envelope: SmtpEnvelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: SmtpEnvelope) -> str:
        assert isinstance(envelope.content, bytes)  # the controller does not decode the data
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server(mailbox: Mailbox, tls_context: ssl.SSLContext | None = None) -> Iterator[int]:
    """A real SMTP server on a free port; with a TLS context it demands STARTTLS and a login."""
    port = _free_port()
    if tls_context is None:
        controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    else:
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            tls_context=tls_context,
            require_starttls=True,
            auth_required=True,
            authenticator=_authenticator,
        )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def _plain(port: int, from_address: str = "dondoc@localhost") -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, from_address=from_address)


def _tls(port: int, password: str, tls_context: ssl.SSLContext | None = None) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1", port=port, username="anbien", password=password, tls_context=tls_context
    )


def _parse(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_a_ward_receives_one_mail_with_a_vietnamese_subject_and_plain_and_html_parts() -> None:
    mailbox = Mailbox()
    message = _message()
    with smtp_server(mailbox) as port:
        settings = SmtpSettings(
            host="127.0.0.1", port=port, starttls=False, from_address="thongbao@dondoc.vn"
        )
        to = ["vanphong@anbien.haiphong.gov.vn", "chutich@anbien.haiphong.gov.vn"]
        result = await send_email(settings, message, to, notification_id="ntf-0001", now=NOW)
    assert result.outcome is Outcome.SUCCESS
    assert len(mailbox.received) == 1
    recipients, raw = mailbox.received[0]
    assert recipients == ["vanphong@anbien.haiphong.gov.vn", "chutich@anbien.haiphong.gov.vn"]
    raw.decode("ascii")  # every header and body is 7-bit safe on the wire
    mail = _parse(raw)
    assert mail["Subject"] == SUBJECT_WORDS
    assert "=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert mail["From"].addresses[0].display_name == "Hệ thống Đôn đốc"
    assert mail["From"].addresses[0].addr_spec == "thongbao@dondoc.vn"
    assert [a.addr_spec for a in mail["To"].addresses] == recipients
    assert "ntf-0001" in mail["Message-ID"]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "multipart/alternative"
    plain, html = (mail.get_body(("plain",)), mail.get_body(("html",)))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == "utf-8"
    assert "Kính gửi: UBND phường An Biên" in plain.get_content()
    assert "ngày 28/02/2027 (còn 5 ngày)" in plain.get_content()
    assert '<a href="https://dondoc.example/giao-viec/a-1">' in html.get_content()


async def test_a_resend_after_a_crash_carries_the_same_message_id() -> None:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        settings = SmtpSettings(
            host="127.0.0.1", port=port, starttls=False, from_address="thongbao@dondoc.vn"
        )
        for _ in range(2):
            await send_email(settings, _message(), ["vp@anbien.vn"], notification_id="ntf-42", now=NOW)
        await send_email(settings, _message(), ["vp@anbien.vn"], notification_id="ntf-43", now=NOW)
    ids = [_parse(raw)["Message-ID"] for _, raw in mailbox.received]
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


async def test_an_unknown_mailbox_is_a_permanent_failure_and_a_full_one_transient() -> None:
    mailbox = Mailbox(
        refuse={"khongco@anbien.vn": "550 5.1.1 No such user", "day@anbien.vn": "452 4.2.2 Full"}
    )
    with smtp_server(mailbox) as port:
        settings = _plain(port)
        unknown = await send_email(settings, _message(), ["khongco@anbien.vn"], notification_id="a", now=NOW)
        full = await send_email(settings, _message(), ["day@anbien.vn"], notification_id="b", now=NOW)
        partly = await send_email(
            settings, _message(), ["vp@anbien.vn", "khongco@anbien.vn"], notification_id="c", now=NOW
        )
    assert (unknown.outcome, unknown.status) == (Outcome.PERMANENT, 550)
    assert (full.outcome, full.status) == (Outcome.TRANSIENT, 452)
    # One recipient took it: retrying would send it to them twice.
    assert partly.outcome is Outcome.SUCCESS
    assert "khongco@anbien.vn" in partly.detail
    assert [rcpts for rcpts, _ in mailbox.received] == [["vp@anbien.vn"]]


async def test_a_server_that_is_not_listening_is_a_transient_failure() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=_free_port(), starttls=False, timeout=2)
    result = await send_email(settings, _message(), ["vp@anbien.vn"], notification_id="x", now=NOW)
    assert result.outcome is Outcome.TRANSIENT


async def test_a_malformed_address_fails_permanently_without_connecting() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=_free_port(), starttls=False)
    for to in (["khong-phai-dia-chi"], ["a@b.vn\r\nBcc: x@y.vn"], []):
        result = await send_email(settings, _message(), to, notification_id="x", now=NOW)
        assert result.outcome is Outcome.PERMANENT


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _authenticator(
    server: object, session: object, envelope: object, mechanism: str, data: object
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"anbien", "mật-khẩu".encode())
    return AuthResult(success=ok, handled=False)  # handled=False: let aiosmtpd answer 535


async def test_mail_goes_over_starttls_with_credentials(tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    mailbox = Mailbox()
    with smtp_server(mailbox, tls_context=server_tls) as port:
        trusting = ssl.create_default_context(cafile=str(cert))
        good = SmtpSettings(
            host="127.0.0.1", port=port, username="anbien", password="mật-khẩu", tls_context=trusting
        )
        bad = SmtpSettings(
            host="127.0.0.1", port=port, username="anbien", password="sai", tls_context=trusting
        )
        untrusted = SmtpSettings(host="127.0.0.1", port=port, username="anbien", password="mật-khẩu")
        delivered = await send_email(good, _message(), ["vp@anbien.vn"], notification_id="t1", now=NOW)
        refused = await send_email(bad, _message(), ["vp@anbien.vn"], notification_id="t2", now=NOW)
        unverified = await send_email(untrusted, _message(), ["vp@anbien.vn"], notification_id="t3", now=NOW)
    assert delivered.outcome is Outcome.SUCCESS
    assert (refused.outcome, refused.status) == (Outcome.PERMANENT, 535)
    assert unverified.outcome is not Outcome.SUCCESS
    assert len(mailbox.received) == 1
    assert _parse(mailbox.received[0][1])["Subject"] == SUBJECT_WORDS

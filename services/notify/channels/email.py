"""Email delivery over SMTP (stdlib smtplib in a worker thread): multipart plain + HTML, UTF-8 headers."""

from __future__ import annotations

import asyncio
import base64
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime

from services.notify.domain.notices import Message
from services.notify.domain.retry import DeliveryResult, Outcome, classify_smtp_code

_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]")
# 7-bit transfer encodings (base64 or quoted-printable, whichever is shorter) reach every relay,
# including old ones without 8BITMIME; headers are RFC 2047 encoded words either way.
_MAIL_POLICY = SMTP_POLICY.clone(cte_type="7bit")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send mail; `tls_context` defaults to the system's verified context."""

    host: str
    port: int = 587
    from_address: str = "dondoc@localhost"
    from_name: str = "Hệ thống Đôn đốc"
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    message_id_domain: str | None = None
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)


def is_valid_address(address: str) -> bool:
    """A plain `local@domain` address with nothing that could smuggle another header or recipient."""
    return bool(_ADDRESS.match(address))


def message_id_for(notification_id: str, domain: str) -> str:
    """A Message-ID fixed by the notification id, so a resend after a crash is recognisably the same mail."""
    return f"<dondoc.{_UNSAFE_ID_CHARS.sub('-', notification_id)}@{domain}>"


def build_email(
    message: Message, to: Sequence[str], settings: SmtpSettings, *, notification_id: str, now: datetime
) -> EmailMessage:
    """The MIME message: multipart/alternative of plain text and HTML, headers encoded per RFC 2047."""
    mail = EmailMessage(policy=_MAIL_POLICY)
    mail["Subject"] = message.subject
    mail["From"] = Address(settings.from_name, addr_spec=settings.from_address)
    mail["To"] = [Address(addr_spec=address) for address in to]
    mail["Date"] = format_datetime(now)
    domain = settings.message_id_domain or settings.from_address.rpartition("@")[2] or "localhost"
    mail["Message-ID"] = message_id_for(notification_id, domain)
    mail["X-Dondoc-Notification-Id"] = notification_id
    # RFC 3834: tells vacation responders not to answer a machine.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text, subtype="plain", charset="utf-8")
    mail.add_alternative(message.html, subtype="html", charset="utf-8")
    return mail


async def send_email(
    settings: SmtpSettings,
    message: Message,
    to: Sequence[str],
    *,
    notification_id: str,
    now: datetime,
) -> DeliveryResult:
    """Send one message to one or more addresses; SMTP 4xx and network failures are transient."""
    recipients = [address.strip() for address in to]
    bad = [address for address in recipients if not is_valid_address(address)]
    if not recipients or bad:
        return DeliveryResult(Outcome.PERMANENT, f"invalid address: {bad or 'no recipients'}")
    mail = build_email(message, recipients, settings, notification_id=notification_id, now=now)
    return await asyncio.to_thread(_send_blocking, settings, mail, recipients)


def _send_blocking(settings: SmtpSettings, mail: EmailMessage, recipients: list[str]) -> DeliveryResult:
    try:
        refused = _transmit(settings, mail, recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        return _all_refused(exc)
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth, 421 on connect
        outcome = classify_smtp_code(exc.smtp_code)
        return DeliveryResult(outcome, f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}", status=exc.smtp_code)
    except smtplib.SMTPServerDisconnected as exc:
        return DeliveryResult(Outcome.TRANSIENT, f"SMTP server disconnected: {exc}")
    except smtplib.SMTPException as exc:  # e.g. STARTTLS or AUTH not offered: configuration, not luck
        return DeliveryResult(Outcome.PERMANENT, f"SMTP error: {type(exc).__name__}: {exc}")
    except OSError as exc:  # refused, reset, timeout, DNS failure, TLS handshake
        return DeliveryResult(Outcome.TRANSIENT, f"network error: {type(exc).__name__}: {exc}")
    if refused:
        # Some recipients took it: resending would duplicate it for them, so this counts as sent.
        listed = ", ".join(f"{addr} ({code} {_text(text)})" for addr, (code, text) in refused.items())
        return DeliveryResult(Outcome.SUCCESS, f"accepted, some recipients refused: {listed}", status=250)
    return DeliveryResult(Outcome.SUCCESS, "accepted", status=250)


def _transmit(
    settings: SmtpSettings, mail: EmailMessage, recipients: list[str]
) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=settings.tls_context or ssl.create_default_context())
            smtp.ehlo()
        if settings.username:
            _login(smtp, settings.username, settings.password or "")
        return smtp.send_message(mail, from_addr=settings.from_address, to_addrs=recipients)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" not in mechanisms:
        smtp.login(username, password)
        return
    # PLAIN ourselves rather than smtp.login: smtplib encodes credentials as ASCII (a password with
    # Vietnamese letters would crash it) while RFC 4616 carries UTF-8, and after a refusal smtplib
    # moves on to other mechanisms instead of reporting the server's 535.
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _all_refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryResult:
    codes = [code for code, _ in exc.recipients.values()]
    # One mailbox "full, try later" (4xx) is worth another attempt even if others are unknown (5xx).
    outcome = Outcome.TRANSIENT if any(400 <= code < 500 for code in codes) else Outcome.PERMANENT
    listed = ", ".join(f"{addr} ({code} {_text(text)})" for addr, (code, text) in exc.recipients.items())
    return DeliveryResult(outcome, f"all recipients refused: {listed}", status=max(codes, default=None))


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw

"""Turn a claimed batch into one message and send it on its channel (webhook or email)."""

from __future__ import annotations

import json

import httpx

from dondoc.kernel.clock import SYSTEM_CLOCK
from services.notify.channels.email import SmtpSettings, send_email
from services.notify.channels.secrets_at_rest import SecretsKeyMissing
from services.notify.channels.webhook import send_webhook
from services.notify.context import NotifyContext
from services.notify.domain.codec import notice_to_json
from services.notify.domain.messages import build_digest, render
from services.notify.domain.notices import Message
from services.notify.domain.retry import DeliveryResult, Outcome
from services.notify.models import Subscription
from services.notify.use_cases.claims import Batch


def compose(ctx: NotifyContext, batch: Batch) -> Message:
    """One notice renders alone; several of one unit, plan and kind render as one digest."""
    templates = ctx.settings.notify_templates_dir
    if len(batch.notices) == 1:
        return render(batch.notices[0], templates=templates)
    link = ctx.digest_link(batch.unit, batch.notices[0].kind)
    return build_digest(list(batch.notices), link=link, templates=templates)


def smtp_settings(ctx: NotifyContext) -> SmtpSettings | None:
    """SMTP settings from notify's settings, or None when no SMTP host is configured."""
    s = ctx.settings
    if not s.notify_smtp_host:
        return None
    return SmtpSettings(
        host=s.notify_smtp_host,
        port=s.notify_smtp_port,
        from_address=s.notify_smtp_from,
        starttls=s.notify_smtp_starttls,
        username=s.notify_smtp_user,
        password=s.notify_smtp_password,
        timeout=s.notify_smtp_timeout_seconds,
    )


def webhook_body(batch: Batch, message: Message) -> bytes:
    """The JSON a unit's system receives: the message, its items, and ids to deduplicate on."""
    payload = {
        "id": batch.batch_id,
        "kind": batch.kind,
        "unit": batch.unit,
        "notification_ids": list(batch.notification_ids),
        "source_event_ids": list(batch.source_event_ids),
        "subject": message.subject,
        "text": message.text,
        "link": message.link,
        "items": [notice_to_json(notice) for notice in batch.notices],
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


async def send(
    ctx: NotifyContext, http: httpx.AsyncClient, batch: Batch, subscription: Subscription | None
) -> DeliveryResult:
    """Send the batch once; a channel the unit no longer has, or no secret/SMTP host, is permanent."""
    message = compose(ctx, batch)
    # Signatures and Date headers use the real time: receivers check them against their own clocks.
    wall = SYSTEM_CLOCK.now()
    if batch.channel == "email":
        smtp = smtp_settings(ctx)
        if smtp is None:
            return DeliveryResult(Outcome.PERMANENT, "no SMTP host configured (notify_smtp_host)")
        to = subscription.emails if subscription else []
        return await send_email(smtp, message, to, notification_id=batch.batch_id, now=wall)
    if batch.channel == "webhook":
        url = subscription.webhook_url if subscription else None
        stored = subscription.webhook_secret if subscription else None
        try:
            secret = ctx.secrets.open(stored) if stored else ctx.settings.notify_webhook_secret
        except SecretsKeyMissing as missing:
            return DeliveryResult(Outcome.PERMANENT, f"the webhook secret cannot be decrypted: {missing}")
        if not url:
            return DeliveryResult(Outcome.PERMANENT, "the unit has no webhook address any more")
        if not secret:
            return DeliveryResult(
                Outcome.PERMANENT, "no webhook secret (subscription or notify_webhook_secret)"
            )
        body = webhook_body(batch, message)
        return await send_webhook(
            http,
            url,
            body,
            secret.encode(),
            wall,
            event_id=batch.batch_id,
            allow_loopback=ctx.settings.notify_webhook_allow_loopback,
            resolver=ctx.resolver,
        )
    return DeliveryResult(Outcome.PERMANENT, f"unknown channel {batch.channel}")

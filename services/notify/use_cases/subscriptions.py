"""Subscriptions: how a unit's stored choices become the rules' `Preferences`, and how they change."""

from __future__ import annotations

from typing import cast

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.refusals import Unavailable
from dondoc.platform.uow import UnitOfWork
from services.notify.channels.secrets_at_rest import SecretBox, SecretsKeyMissing
from services.notify.domain.notices import Kind
from services.notify.domain.quiet_hours import QuietHours
from services.notify.domain.routing import Preferences, parse_clock
from services.notify.http.schemas import SubscriptionIn, SubscriptionOut
from services.notify.models import Subscription

_NO_SECRETS_KEY = (
    "Dịch vụ thông báo chưa được cấu hình khóa mã hóa (NOTIFY_SECRETS_KEYS) nên chưa lưu được khóa bí mật "
    "webhook; vui lòng báo quản trị viên hệ thống."
)


def quiet_hours_of(row: Subscription) -> QuietHours | None:
    """The unit's quiet hours, or None when it set none."""
    if row.quiet_start and row.quiet_end:
        return QuietHours(parse_clock(row.quiet_start), parse_clock(row.quiet_end), row.quiet_weekends)
    if row.quiet_weekends:
        return QuietHours(parse_clock("00:00"), parse_clock("00:00"), weekends=True)
    return None


def preferences_of(row: Subscription | None) -> Preferences | None:
    """The stored subscription as the routing rules read it."""
    if row is None:
        return None
    return Preferences(
        webhook_url=row.webhook_url,
        emails=tuple(row.emails),
        kinds=tuple(cast(list[Kind], row.kinds)),
        quiet=quiet_hours_of(row),
    )


def subscription_out(row: Subscription) -> SubscriptionOut:
    """What the API shows (never the webhook secret itself)."""
    return SubscriptionOut(
        unit=row.unit,
        webhook_url=row.webhook_url,
        has_webhook_secret=bool(row.webhook_secret),
        emails=list(row.emails),
        kinds=cast(list[Kind], list(row.kinds)),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        quiet_weekends=row.quiet_weekends,
        updated_at=row.updated_at,
    )


async def save_subscription(
    uow: UnitOfWork, unit: str, body: SubscriptionIn, box: SecretBox
) -> SubscriptionOut:
    """Create or replace the unit's subscription (a missing secret keeps the one stored, encrypted)."""
    row = await uow.session.get(Subscription, unit)
    try:
        sealed = box.seal(body.webhook_secret) if body.webhook_secret else None
    except SecretsKeyMissing:
        raise Unavailable(_NO_SECRETS_KEY) from None
    secret = sealed or (row.webhook_secret if row else None)
    row = row or Subscription(unit=unit, updated_at=SYSTEM_CLOCK.now())
    row.webhook_url = str(body.webhook_url) if body.webhook_url else None
    row.webhook_secret = secret if row.webhook_url else None
    row.emails = list(dict.fromkeys(address.strip() for address in body.emails))
    row.kinds = list(dict.fromkeys(body.kinds))
    row.quiet_start, row.quiet_end, row.quiet_weekends = body.quiet_start, body.quiet_end, body.quiet_weekends
    row.updated_at = SYSTEM_CLOCK.now()
    uow.session.add(row)
    return subscription_out(row)

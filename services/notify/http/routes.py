"""Notify's HTTP edge for units: subscriptions, inbox, notifications and their delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import col, select

from dondoc.platform.access import MayActFor
from dondoc.platform.app import PrincipalDep
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Answer
from dondoc.platform.paging import Limit, Offset, announce_page
from dondoc.platform.refusals import InvalidField, NotFound, NotificationNotFound, NotYourUnit
from dondoc.platform.writes import WriterDep, refuse
from services.notify import queries
from services.notify.channels.address import AddressRefused, check_webhook_url
from services.notify.http.deps import RuntimeDep
from services.notify.http.schemas import InboxItemOut, NotificationOut, SubscriptionIn, SubscriptionOut
from services.notify.models import Notification, Subscription
from services.notify.use_cases import inbox_digest, notices
from services.notify.use_cases.subscriptions import save_subscription, subscription_out

router = APIRouter(tags=["thông báo"])


# The caller, acting for the unit the path names (its own or one of its offices); else 403, audited.
UnitCaller = Annotated[Principal, Depends(MayActFor(NotYourUnit.NOTIFICATIONS))]


@router.get("/units/{unit}/subscription", summary="Đăng ký nhận thông báo của đơn vị")
async def get_subscription(unit: str, runtime: RuntimeDep, _caller: UnitCaller) -> SubscriptionOut:
    async with runtime.uow() as uow:
        row = await uow.session.get(Subscription, unit)
    if row is None:
        raise NotFound("Đơn vị chưa đăng ký kênh nhận thông báo nào ngoài hộp thư.")
    return subscription_out(row)


@router.put("/units/{unit}/subscription", summary="Đăng ký hoặc thay đổi kênh nhận thông báo")
async def put_subscription(
    unit: str,
    body: SubscriptionIn,
    request: Request,
    runtime: RuntimeDep,
    principal: UnitCaller,
    writer: WriterDep,
) -> JSONResponse:
    ctx = runtime.context
    action = "subscription.save"
    if body.webhook_url:
        # Resolved before the transaction opens (DNS may take a while); refused like any write, audited.
        try:
            await check_webhook_url(
                body.webhook_url,
                allow_loopback=ctx.settings.notify_webhook_allow_loopback,
                resolver=ctx.resolver,
            )
        except AddressRefused as refused:
            problem = InvalidField("webhook_url", refused.message, "webhook_address")
            target = request.url.path
            raise await refuse(runtime, principal, action, target, problem, writer.key) from None
    return await writer.run(action, _saved, save_subscription, unit, body, ctx.secrets)


def _saved(saved: SubscriptionOut) -> Answer:
    return 200, saved.model_dump(mode="json"), saved.unit


@router.get("/inbox/{unit}", summary="Hộp thư thông báo của đơn vị")
async def inbox(
    unit: str,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    _caller: UnitCaller,
    unread: bool = False,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[InboxItemOut]:
    """One page of the unit's inbox, newest first; `X-Total-Count` and a `Link` say the rest."""
    query = select(Notification).where(
        col(Notification.unit) == unit,
        col(Notification.channel) == "inbox",
        col(Notification.state) != inbox_digest.GROUPED,  # folded into the digest item listed instead
    )
    if unread:
        query = query.where(col(Notification.read_at).is_(None))
    async with runtime.uow() as uow:
        total = await queries.count(uow, query)
        page = query.order_by(col(Notification.created_at).desc(), col(Notification.id))
        rows = (await uow.session.exec(page.offset(offset).limit(limit))).all()
    announce_page(request, response, total=total, offset=offset, limit=limit, shown=len(rows))
    return [InboxItemOut.model_validate(row, from_attributes=True) for row in rows]


@router.post("/inbox/{unit}/{notification_id}/read", summary="Đánh dấu thông báo đã đọc")
async def mark_read(unit: str, notification_id: str, _caller: UnitCaller, writer: WriterDep) -> JSONResponse:
    return await writer.run("inbox.read", _read, notices.read, unit, notification_id)


def _read(row: Notification) -> Answer:
    return 200, InboxItemOut.model_validate(row, from_attributes=True).model_dump(mode="json"), row.id


@router.get("/notifications/{notification_id}", summary="Một thông báo và nhật ký gửi")
async def get_notification(
    notification_id: str, runtime: RuntimeDep, principal: PrincipalDep
) -> NotificationOut:
    async with runtime.uow() as uow:
        found = await queries.with_log(uow, notification_id)
    if found is None or not principal.may_act_for(found.unit):
        raise NotificationNotFound()
    return found


@router.get("/units/{unit}/notifications", summary="Các thông báo gửi tới đơn vị")
async def unit_notifications(
    unit: str,
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    _caller: UnitCaller,
    channel: str | None = None,
    state: str | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[NotificationOut]:
    """One page of the unit's notifications on every channel; the headers say the total and the next page."""
    async with runtime.uow() as uow:
        rows, total = await queries.listed(
            uow, unit=unit, channel=channel, state=state, limit=limit, offset=offset
        )
    announce_page(request, response, total=total, offset=offset, limit=limit, shown=len(rows))
    return rows

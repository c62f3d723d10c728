"""Notify's HTTP edge for operators: dead notifications and re-sending them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from dondoc.platform.app import AdminDep
from dondoc.platform.idempotency import Answer
from dondoc.platform.paging import Limit, Offset, announce_page
from dondoc.platform.uow import UnitOfWork
from dondoc.platform.writes import IdempotencyKey, Refused, write
from services.notify import queries
from services.notify.http.deps import RuntimeDep
from services.notify.http.schemas import NotificationOut

router = APIRouter(prefix="/admin", tags=["vận hành thông báo"])


@router.get("/dead-notifications", summary="Thông báo đã gửi hết số lần mà không thành công")
async def dead_notifications(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    _admin: AdminDep,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[NotificationOut]:
    """One page of dead notifications; the headers say the total and the next page."""
    async with runtime.uow() as uow:
        rows, total = await queries.listed(
            uow, unit=None, channel=None, state="dead", limit=limit, offset=offset
        )
    announce_page(request, response, total=total, offset=offset, limit=limit, shown=len(rows))
    return rows


@router.post("/notifications/{notification_id}/resend", summary="Gửi lại một thông báo đã hỏng")
async def resend(
    notification_id: str,
    request: Request,
    runtime: RuntimeDep,
    principal: AdminDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    ctx = runtime.context

    async def work(uow: UnitOfWork) -> Answer:
        if not principal.is_admin:  # refused here, not by a dependency, so that the refusal is audited
            raise Refused(403, "Chỉ quản trị viên thành phố được gửi lại thông báo.")
        row = await queries.resend(uow, notification_id, ctx.clock.now())
        if row is None:
            raise Refused(404, "Không có thông báo hỏng nào với mã này.")
        return 202, queries.notification_out(row).model_dump(mode="json"), row.id

    return await write(request, runtime, principal, "notification.resend", idempotency_key, work)

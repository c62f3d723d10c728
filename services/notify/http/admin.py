"""Notify's HTTP edge for operators: dead notifications and re-sending them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from dondoc.platform.app import AdminDep
from dondoc.platform.idempotency import Answer
from dondoc.platform.paging import Limit, Offset, announce_page
from dondoc.platform.writes import WriterDep
from services.notify import queries
from services.notify.http.deps import RuntimeDep
from services.notify.http.schemas import NotificationOut
from services.notify.models import Notification
from services.notify.use_cases import notices

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
    notification_id: str, runtime: RuntimeDep, _admin: AdminDep, writer: WriterDep
) -> JSONResponse:
    ctx = runtime.context
    return await writer.run("notification.resend", _resent, notices.resend, notification_id, ctx.clock.now())


def _resent(row: Notification) -> Answer:
    return 202, queries.notification_out(row).model_dump(mode="json"), row.id

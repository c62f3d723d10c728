"""Notify's HTTP edge: each unit's inbox."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlmodel import col, select

from dondoc.platform.app import PrincipalDep, RuntimeDep
from services.notify.models import Notification
from services.notify.schemas import InboxItemOut

router = APIRouter(tags=["thông báo"])


@router.get("/inbox/{unit}", summary="Hộp thư thông báo của đơn vị")
async def inbox(
    unit: str, runtime: RuntimeDep, principal: PrincipalDep, unread: bool = False, limit: int = 200
) -> list[InboxItemOut]:
    if not principal.may_act_for(unit):
        raise HTTPException(403, "Khóa truy cập này không được xem hộp thư của đơn vị khác.")
    query = select(Notification).where(col(Notification.unit) == unit, col(Notification.channel) == "inbox")
    if unread:
        query = query.where(col(Notification.read_at).is_(None))
    query = query.order_by(col(Notification.created_at).desc()).limit(min(max(limit, 1), 1000))
    async with runtime.uow() as uow:
        rows = (await uow.session.exec(query)).all()
    return [InboxItemOut.model_validate(row, from_attributes=True) for row in rows]

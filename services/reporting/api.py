"""Reporting's HTTP edge."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlmodel import col, func, select

from dondoc.platform.app import PrincipalDep, RuntimeDep
from services.reporting.models import AssignmentView, PlanView

router = APIRouter(tags=["báo cáo"])


@router.get("/plans/{plan_id}/progress", summary="Tiến độ của một kế hoạch theo trạng thái nhiệm vụ")
async def plan_progress(plan_id: str, runtime: RuntimeDep, _principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanView, plan_id)
        if plan is None:
            raise HTTPException(404, "Không tìm thấy kế hoạch.")
        query = (
            select(AssignmentView.status, func.count())
            .where(col(AssignmentView.plan_id) == plan_id)
            .group_by(col(AssignmentView.status))
        )
        counts = {status: n for status, n in (await uow.session.exec(query)).all()}
    return {
        "plan_id": plan_id,
        "title": plan.title,
        "version": plan.version,
        "assignments": sum(counts.values()),
        "by_status": counts,
    }

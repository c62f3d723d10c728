"""The tasks service's HTTP edge: what a unit has to do, and a task's assignments across units."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException
from sqlmodel import col, select

from dondoc.platform.app import PrincipalDep, RuntimeDep
from services.tasks.models import Assignment
from services.tasks.schemas import AssignmentOut

router = APIRouter(tags=["nhiệm vụ"])


@router.get(
    "/assignments", summary="Danh sách nhiệm vụ được giao (lọc theo đơn vị, trạng thái, hạn, kế hoạch)"
)
async def list_assignments(
    runtime: RuntimeDep,
    principal: PrincipalDep,
    unit: str | None = None,
    status: str | None = None,
    plan_id: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    limit: int = 500,
) -> list[AssignmentOut]:
    if unit is None and not principal.is_admin:
        unit = principal.unit
    if unit is not None and not principal.may_act_for(unit):
        raise HTTPException(403, "Khóa truy cập này không được xem nhiệm vụ của đơn vị khác.")
    query = select(Assignment).where(col(Assignment.withdrawn).is_(False))
    if unit:
        query = query.where((col(Assignment.unit) == unit) | col(Assignment.unit).startswith(unit + "."))
    if status:
        query = query.where(col(Assignment.status) == status)
    if plan_id:
        query = query.where(col(Assignment.plan_id) == plan_id)
    if due_from:
        query = query.where(col(Assignment.due) >= due_from)
    if due_to:
        query = query.where(col(Assignment.due) <= due_to)
    query = query.order_by(col(Assignment.due), col(Assignment.id)).limit(min(max(limit, 1), 5000))
    async with runtime.uow() as uow:
        rows = (await uow.session.exec(query)).all()
    return [AssignmentOut.model_validate(row, from_attributes=True) for row in rows]


@router.get("/assignments/{assignment_id}", summary="Chi tiết một nhiệm vụ được giao")
async def get_assignment(assignment_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> AssignmentOut:
    async with runtime.uow() as uow:
        assignment = await uow.session.get(Assignment, assignment_id)
    if assignment is None or not principal.may_act_for(assignment.unit):
        raise HTTPException(404, "Không tìm thấy nhiệm vụ được giao.")
    return AssignmentOut.model_validate(assignment, from_attributes=True)

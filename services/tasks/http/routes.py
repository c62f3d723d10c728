"""The tasks service's HTTP edge: a unit's work, what is overdue, a task's assignments across units."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import ColumnElement, func
from sqlmodel import col, select

from dondoc.kernel.status import TaskStatus
from dondoc.platform.access import MayActFor
from dondoc.platform.app import PrincipalDep
from dondoc.platform.auth import Principal
from dondoc.platform.paging import Offset, announce_page
from dondoc.platform.refusals import AssignmentNotFound, NotYourUnit, TaskNotFound
from dondoc.platform.units import unit_or_offices
from services.tasks.http.deps import RuntimeDep
from services.tasks.http.schemas import AssignmentOut, ContributionOut, PeriodStatusOut, TaskAssignmentsOut
from services.tasks.models import Assignment, PeriodStatus, PlanCopy, ResultRecord

router = APIRouter(tags=["nhiệm vụ"])
# The caller, acting for the unit the path names (its own or one of its offices); else 403.
UnitCaller = Annotated[Principal, Depends(MayActFor(NotYourUnit.TASKS))]


def _out(rows: list[Assignment]) -> list[AssignmentOut]:
    return [AssignmentOut.model_validate(row, from_attributes=True) for row in rows]


def _unit_filter(unit: str) -> ColumnElement[bool]:
    """The unit itself and its offices ("11407" covers "11407.VP")."""
    return unit_or_offices(col(Assignment.unit), unit)


@router.get(
    "/assignments", summary="Danh sách nhiệm vụ được giao (lọc theo đơn vị, trạng thái, hạn, kế hoạch)"
)
async def list_assignments(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    unit: str | None = None,
    status: str | None = None,
    plan_id: str | None = None,
    task_ref: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Offset = 0,
) -> list[AssignmentOut]:
    """One page of the matching assignments: `X-Total-Count` and a `Link` to the next page say the rest."""
    if unit is None and not principal.is_admin:
        unit = principal.unit
    if unit is not None and not principal.may_act_for(unit):
        raise NotYourUnit(NotYourUnit.TASKS)
    query = select(Assignment).where(col(Assignment.withdrawn).is_(False))
    if unit:
        query = query.where(_unit_filter(unit))
    if status:
        query = query.where(col(Assignment.status) == status)
    if plan_id:
        query = query.where(col(Assignment.plan_id) == plan_id)
    if task_ref:
        query = query.where(col(Assignment.task_ref) == task_ref)
    if due_from:
        query = query.where(col(Assignment.due) >= due_from)
    if due_to:
        query = query.where(col(Assignment.due) <= due_to)
    counted = select(func.count()).select_from(query.subquery())
    query = query.order_by(col(Assignment.due), col(Assignment.id)).offset(offset).limit(limit)
    async with runtime.uow() as uow:
        total = int((await uow.session.exec(counted)).one())
        rows = list((await uow.session.exec(query)).all())
    announce_page(request, response, total=total, offset=offset, limit=limit, shown=len(rows))
    return _out(rows)


@router.get("/assignments/{assignment_id}", summary="Chi tiết một nhiệm vụ được giao")
async def get_assignment(assignment_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> AssignmentOut:
    async with runtime.uow() as uow:
        assignment = await uow.session.get(Assignment, assignment_id)
    if assignment is None or not principal.may_act_for(assignment.unit):
        raise AssignmentNotFound()
    return AssignmentOut.model_validate(assignment, from_attributes=True)


@router.get(
    "/assignments/{assignment_id}/periods", summary="Trạng thái theo từng kỳ báo cáo (nhiệm vụ thường xuyên)"
)
async def assignment_periods(
    assignment_id: str, runtime: RuntimeDep, principal: PrincipalDep
) -> list[PeriodStatusOut]:
    async with runtime.uow() as uow:
        assignment = await uow.session.get(Assignment, assignment_id)
        if assignment is None or not principal.may_act_for(assignment.unit):
            raise AssignmentNotFound()
        query = select(PeriodStatus).where(col(PeriodStatus.assignment_id) == assignment_id)
        rows = (await uow.session.exec(query.order_by(col(PeriodStatus.window_start)))).all()
    return [PeriodStatusOut.model_validate(r, from_attributes=True) for r in rows]


def _sees_plan(principal: Principal, plan: PlanCopy | None) -> bool:
    return plan is not None and principal.may_act_for(plan.issuer_unit)


@router.get("/plans/{plan_id}/tasks/{ref}/assignments", summary="Một nhiệm vụ của kế hoạch, theo từng đơn vị")
async def task_assignments(
    plan_id: str, ref: str, runtime: RuntimeDep, principal: PrincipalDep
) -> TaskAssignmentsOut:
    query = select(Assignment).where(
        col(Assignment.plan_id) == plan_id,
        col(Assignment.task_ref) == ref,
        col(Assignment.withdrawn).is_(False),
    )
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanCopy, plan_id)
        rows = list(
            (await uow.session.exec(query.order_by(col(Assignment.role), col(Assignment.unit)))).all()
        )
        ids = [r.id for r in rows]
        results = (
            await uow.session.exec(select(ResultRecord).where(col(ResultRecord.assignment_id).in_(ids)))
        ).all()
    if not _sees_plan(principal, plan):  # a unit of the task sees its own part only
        rows = [r for r in rows if principal.may_act_for(r.unit)]
        if not rows:
            raise TaskNotFound()
    leads = [r for r in rows if r.role == "chu_tri"]
    task_status = _task_status(leads)
    visible = {r.id for r in rows}
    contributions = [
        ContributionOut.model_validate(r, from_attributes=True)
        for r in sorted(results, key=lambda r: r.submitted_at)
        if r.assignment_id in visible
    ]
    return TaskAssignmentsOut(
        plan_id=plan_id,
        task_ref=ref,
        task_status=task_status,
        assignments=_out(rows),
        contributions=contributions,
    )


def _task_status(leads: list[Assignment]) -> str | None:
    """The task is done when its lead(s) say so; with several leads, the least advanced decides."""
    if not leads:
        return None
    order = [s.code for s in TaskStatus]
    done = [TaskStatus.DONE_ON_TIME.code, TaskStatus.DONE_LATE.code]
    pending = [r.status for r in leads if r.status not in done]
    if pending:
        return max(pending, key=order.index)
    return max((r.status for r in leads), key=order.index)


@router.get(
    "/units/{unit}/overdue", summary="Nhiệm vụ quá hạn chưa hoàn thành của một đơn vị (kể cả các phòng)"
)
async def unit_overdue(unit: str, runtime: RuntimeDep, _caller: UnitCaller) -> list[AssignmentOut]:
    query = select(Assignment).where(
        col(Assignment.withdrawn).is_(False),
        col(Assignment.status) == TaskStatus.OVERDUE.code,
        _unit_filter(unit),
    )
    async with runtime.uow() as uow:
        rows = list((await uow.session.exec(query.order_by(col(Assignment.due)))).all())
    return _out(rows)

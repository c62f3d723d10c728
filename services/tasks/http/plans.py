"""Designations, the cascade and the operators' tick."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import col, select

from dondoc.platform.app import AdminDep, PrincipalDep
from dondoc.platform.audit import record_accepted
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import PlanNotFound
from dondoc.platform.writes import WriterDep
from services.tasks.http.deps import ContextDep, RuntimeDep
from services.tasks.http.schemas import (
    AwaitingOut,
    CascadeTaskOut,
    DesignationIn,
    ObligationOut,
    SendRuleIn,
    TickOut,
    WardLinkOut,
)
from services.tasks.jobs import TICKER, TickOutcome
from services.tasks.models import AwaitingDesignation, Obligation, PlanCopy, TaskLink
from services.tasks.use_cases.designations import Designated, designate
from services.tasks.use_cases.planning import unique_refs
from services.tasks.use_cases.send_rules import SendRule, set_send_rule
from shared.events import PlanTask

router = APIRouter(tags=["kế hoạch"])


@router.post(
    "/plans/{plan_id}/tasks/{ref}/designations",
    status_code=201,
    summary="Chỉ định đơn vị cho nhiệm vụ chưa xác định đơn vị (đơn vị ban hành hoặc quản trị)",
)
async def post_designation(
    plan_id: str,
    ref: str,
    body: DesignationIn,
    ctx: ContextDep,
    writer: WriterDep,
) -> JSONResponse:
    writer = writer.about(target=f"{plan_id}/{ref}")
    return await writer.run(
        "task.designate", _designated, designate, writer.principal, ctx, plan_id, ref, body
    )


def _designated(done: Designated) -> Answer:
    return 201, asdict(done), f"{done.plan_id}/{done.task_ref}"


@router.get("/designations", summary="Nhiệm vụ chờ chỉ định đơn vị")
async def list_designations(
    runtime: RuntimeDep, principal: PrincipalDep, pending: bool = True, plan_id: str | None = None
) -> list[AwaitingOut]:
    query = select(AwaitingDesignation)
    if pending:
        query = query.where(col(AwaitingDesignation.resolved_at).is_(None))
    if plan_id:
        query = query.where(col(AwaitingDesignation.plan_id) == plan_id)
    async with runtime.uow() as uow:
        rows = (await uow.session.exec(query.order_by(col(AwaitingDesignation.created_at)))).all()
    return [
        AwaitingOut.model_validate(r, from_attributes=True)
        for r in rows
        if principal.may_act_for(r.issuer_unit)
    ]


@router.get("/plans/{plan_id}/cascade", summary="Các phường, xã đã lập kế hoạch thực hiện từng nhiệm vụ")
async def plan_cascade(
    plan_id: str, runtime: RuntimeDep, principal: PrincipalDep, ctx: ContextDep
) -> list[CascadeTaskOut]:
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanCopy, plan_id)
        links = (
            await uow.session.exec(select(TaskLink).where(col(TaskLink.parent_plan_id) == plan_id))
        ).all()
    if plan is None or not principal.may_act_for(plan.issuer_unit):
        raise PlanNotFound()
    raw = plan.content.get("tasks", [])
    tasks = [PlanTask.model_validate(t) for t in raw] if isinstance(raw, list) else []
    answer: list[CascadeTaskOut] = []
    for ref, task in zip(unique_refs(tasks), tasks, strict=True):
        wards = [
            WardLinkOut(
                plan_id=link.plan_id,
                unit=link.unit,
                unit_name=ctx.directory.name_of(link.unit) if link.unit else None,
                task_ref=link.task_ref,
                task_title=link.task_title,
                method=link.method,
                score=link.score,
                flagged=link.flagged,
            )
            for link in links
            if link.parent_task_ref == ref
        ]
        answer.append(CascadeTaskOut(task_ref=ref, task_title=task.title, wards=wards))
    return answer


@router.post(
    "/admin/tick", summary="Chạy ngay một nhịp đồng hồ (nhắc hạn, quá hạn, lịch báo cáo)", tags=["vận hành"]
)
async def admin_tick(runtime: RuntimeDep, principal: AdminDep) -> TickOut:
    outcome = await runtime.jobs.run_now(TICKER)
    if not isinstance(outcome, TickOutcome):
        raise TypeError(f"{TICKER} answered {outcome!r}")
    # The tick commits its own transactions; its audit record follows them.
    async with runtime.uow() as uow:
        await record_accepted(uow.session, uow.tables, principal, "ticker.tick", str(outcome.today), 200)
        await uow.commit()
    return TickOut(
        today=outcome.today, ran=outcome.ran, sent=outcome.sent, status_changes=outcome.status_changes
    )


@router.put(
    "/obligations/{obligation_id}/send-rule", summary="Đặt hạn gửi báo cáo riêng cho một nghĩa vụ báo cáo"
)
async def put_send_rule(
    obligation_id: str,
    body: SendRuleIn,
    writer: WriterDep,
) -> JSONResponse:
    writer = writer.about(target=obligation_id)
    return await writer.run(
        "obligation.send_rule", _ruled, set_send_rule, writer.principal, obligation_id, body
    )


def _ruled(rule: SendRule) -> Answer:
    return 200, asdict(rule), rule.obligation_id


@router.get("/obligations", summary="Nghĩa vụ báo cáo của một kế hoạch và hạn gửi của chúng")
async def list_obligations(plan_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> list[ObligationOut]:
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanCopy, plan_id)
        rows = (await uow.session.exec(select(Obligation).where(col(Obligation.plan_id) == plan_id))).all()
    return [
        ObligationOut.model_validate(row, from_attributes=True)
        for row in rows
        if _sees_obligation(principal, plan, row)
    ]


def _sees_obligation(principal: Principal, plan: PlanCopy | None, row: Obligation) -> bool:
    """The plan's issuer sees all its obligations; another unit those it reports on or reports to."""
    concerned = [plan.issuer_unit if plan else None, row.recipient, *row.units]
    return any(principal.may_act_for(unit) for unit in concerned if unit)

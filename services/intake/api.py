"""Intake's HTTP edge: turn requests into use-case calls; no SQL and no business branching here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from dondoc.platform.app import AdminDep, PrincipalDep, RuntimeDep
from dondoc.platform.audit import record_refused
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Work, accept_write
from dondoc.platform.runtime import Runtime
from dondoc.platform.uow import UnitOfWork
from services.intake import handlers
from services.intake.models import PlanRecord, ReportRecord, ResultRecord
from services.intake.schemas import Accepted, PlanIn, ReportIn, ResultIn

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": Accepted, "description": "Đã nhận và lưu; sự kiện sẽ được phát qua outbox."}
}

router = APIRouter(tags=["tiếp nhận"])


async def _write(
    request: Request, runtime: Runtime, principal: Principal, action: str, key: str | None, work: Work
) -> JSONResponse:
    body = await request.body()
    try:
        return await accept_write(runtime.uow, principal, action, key, body, work)
    except handlers.Refused as refused:
        await record_refused(
            runtime.engine,
            runtime.spec.tables,
            principal,
            action,
            request.url.path,
            refused.status,
            refused.message,
            key,
        )
        raise HTTPException(refused.status, refused.message) from None


def _base(runtime: Runtime) -> str:
    return runtime.settings.public_base_url.rstrip("/")


@router.post("/plans", status_code=202, responses=ACCEPTED, summary="Gửi kế hoạch dạng JSON có cấu trúc")
async def post_plan(
    plan: PlanIn,
    request: Request,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> handlers.Answer:
        return await handlers.submit_plan(uow, principal, plan, plan.issuer, _base(runtime))

    return await _write(request, runtime, principal, "plan.submit", idempotency_key, work)


@router.post(
    "/plans/{plan_id}/confirm",
    status_code=202,
    responses=ACCEPTED,
    summary="Xác nhận kế hoạch nháp (phát sự kiện plan.received)",
)
async def confirm_plan(
    plan_id: str,
    request: Request,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> handlers.Answer:
        return await handlers.confirm_plan(uow, principal, plan_id, _base(runtime))

    return await _write(request, runtime, principal, "plan.confirm", idempotency_key, work)


@router.get("/plans/{plan_id}", summary="Xem kế hoạch và trạng thái")
async def get_plan(plan_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        record = await uow.session.get(PlanRecord, plan_id)
    if record is None or not (principal.may_act_for(record.issuer_unit) or principal.unit is not None):
        raise HTTPException(404, "Không tìm thấy kế hoạch.")
    return {
        "id": record.id,
        "status": record.status,
        "version": record.version,
        "issuer": record.issuer_unit,
        "content": record.content,
        "document_id": record.document_id,
    }


@router.post("/results", status_code=202, responses=ACCEPTED, summary="Báo cáo kết quả thực hiện nhiệm vụ")
async def post_result(
    result: ResultIn,
    request: Request,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> handlers.Answer:
        return await handlers.submit_result(uow, principal, result, _base(runtime))

    return await _write(request, runtime, principal, "result.submit", idempotency_key, work)


@router.get("/results/{result_id}", summary="Xem một kết quả đã gửi")
async def get_result(result_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        record = await uow.session.get(ResultRecord, result_id)
    if record is None or not principal.may_act_for(record.unit):
        raise HTTPException(404, "Không tìm thấy kết quả.")
    return {"id": record.id, "version": record.version, "unit": record.unit, "content": record.content}


@router.post("/reports", status_code=202, responses=ACCEPTED, summary="Gửi báo cáo định kỳ của đơn vị")
async def post_report(
    report: ReportIn,
    request: Request,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def work(uow: UnitOfWork) -> handlers.Answer:
        return await handlers.submit_report(uow, principal, report, _base(runtime))

    return await _write(request, runtime, principal, "report.submit", idempotency_key, work)


@router.get("/reports/{report_id}", summary="Xem một báo cáo định kỳ đã gửi")
async def get_report(report_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        record = await uow.session.get(ReportRecord, report_id)
    if record is None or not principal.may_act_for(record.unit):
        raise HTTPException(404, "Không tìm thấy báo cáo.")
    return {"id": record.id, "version": record.version, "unit": record.unit, "content": record.content}


@router.get("/audit", summary="Nhật ký ghi (chỉ quản trị viên)")
async def get_audit(
    runtime: RuntimeDep, _admin: AdminDep, unit: str | None = None, limit: int = 200
) -> list[dict[str, object]]:
    t = runtime.spec.tables.audit_log
    query = select(t).order_by(t.c.id.desc()).limit(min(max(limit, 1), 1000))
    if unit:
        query = query.where(t.c.unit == unit)
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(query)).mappings().all()
    return [dict(row) for row in rows]

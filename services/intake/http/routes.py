"""Intake's HTTP edge for results, reports and the audit log (plans: `api_plans`, admin: `api_admin`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import func, select

from dondoc.platform.app import AdminDep, PrincipalDep
from dondoc.platform.db import reading
from dondoc.platform.paging import Offset, announce_page
from dondoc.platform.refusals import ReportNotFound, ResultNotFound
from dondoc.platform.writes import WriterDep
from services.intake.context import IntakeRuntime
from services.intake.http import answers
from services.intake.http.deps import ACCEPTED, RuntimeDep, base_url, runtime_of
from services.intake.models import ReportRecord, ResultRecord
from services.intake.schemas import ReportIn, ResultIn
from services.intake.use_cases import results

router = APIRouter(tags=["tiếp nhận"])


def _grace(runtime: IntakeRuntime) -> timedelta:
    """How long the replica of tasks may trail a plan confirmed here (ADR 0030)."""
    return timedelta(seconds=runtime.settings.replica_grace_seconds)


@router.post("/results", status_code=202, responses=ACCEPTED, summary="Báo cáo kết quả thực hiện nhiệm vụ")
async def post_result(result: ResultIn, writer: WriterDep) -> JSONResponse:
    runtime = runtime_of(writer.request)  # the writer's runtime, as intake's (one dependency fewer)
    writer = writer.about(serialise=f"result:{result.assignment_id}")  # its versions follow one another
    shape = answers.received(base_url(runtime))
    grace = _grace(runtime)
    return await writer.run(
        "result.submit", shape, results.submit_result, writer.principal, result, grace=grace
    )


@router.get("/results/{result_id}", summary="Xem một kết quả đã gửi")
async def get_result(result_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        record = await uow.session.get(ResultRecord, result_id)
    if record is None or not principal.may_act_for(record.unit):
        raise ResultNotFound()
    return {"id": record.id, "version": record.version, "unit": record.unit, "content": record.content}


@router.post("/reports", status_code=202, responses=ACCEPTED, summary="Gửi báo cáo định kỳ của đơn vị")
async def post_report(report: ReportIn, writer: WriterDep) -> JSONResponse:
    runtime = runtime_of(writer.request)
    writer = writer.about(serialise=f"report:{report.unit}:{report.period_id}:{report.plan_id}")
    shape = answers.received(base_url(runtime))
    grace = _grace(runtime)
    return await writer.run(
        "report.submit", shape, results.submit_report, writer.principal, report, grace=grace
    )


@router.get("/reports/{report_id}", summary="Xem một báo cáo định kỳ đã gửi")
async def get_report(report_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        record = await uow.session.get(ReportRecord, report_id)
    if record is None or not principal.may_act_for(record.unit):
        raise ReportNotFound()
    return {"id": record.id, "version": record.version, "unit": record.unit, "content": record.content}


@router.get("/audit", summary="Nhật ký ghi (chỉ quản trị viên)")
async def get_audit(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    _admin: AdminDep,
    unit: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
) -> list[dict[str, object]]:
    """The newest writes first; `X-Total-Count` and a `Link` to the next page say the rest."""
    t = runtime.spec.tables.audit_log
    query = select(t)
    if unit:
        query = query.where(t.c.unit == unit)
    counted = select(func.count()).select_from(query.subquery())
    query = query.order_by(t.c.id.desc()).offset(offset).limit(limit)
    async with reading(runtime.engine) as conn:
        total = int((await conn.execute(counted)).scalar_one())
        rows = (await conn.execute(query)).mappings().all()
    announce_page(request, response, total=total, offset=offset, limit=limit, shown=len(rows))
    return [dict(row) for row in rows]

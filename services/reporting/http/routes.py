"""Reporting's HTTP edge: plans and periods, the submission (JSON), generated reports, reviews."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from dondoc.kernel.periods import period_label
from dondoc.platform.app import AdminDep, PrincipalDep
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import NotFound, PlanNotFound
from dondoc.platform.runtime import Runtime
from dondoc.platform.uow import UnitOfWork
from dondoc.platform.writes import Writer, WriterDep
from services.reporting import queries
from services.reporting.context import ReportingContext
from services.reporting.documents.json_export import submission_document
from services.reporting.documents.json_models import SubmissionDocument, UnitOut
from services.reporting.http import library
from services.reporting.http.deps import ContextDep, MayCompile, RuntimeDep, decision_answer, generated_answer
from services.reporting.jobs import TICKER
from services.reporting.models import PlanView
from services.reporting.schemas import GeneratedOut, GenerateIn, PendingOut, PeriodOut, PlanOut, ReviewIn
from services.reporting.use_cases import access, generation, reviews

router = APIRouter(tags=["báo cáo"])
PeriodQuery = Annotated[
    str | None, Query(alias="period", max_length=32, description="Kỳ báo cáo, ví dụ 2026-S1")
]
FromQuery = Annotated[date | None, Query(alias="from", description="Ngày bắt đầu (khi không chọn kỳ)")]
ToQuery = Annotated[date | None, Query(alias="to", description="Ngày kết thúc (khi không chọn kỳ)")]
AsOfQuery = Annotated[date | None, Query(alias="as_of", description="Ngày xét trạng thái; mặc định hôm nay")]
# The downloaded JSON is the submission document itself, so machines can read it by its schema.
_DOCUMENTS = {
    media: ({"schema": {"$ref": "#/components/schemas/SubmissionDocument"}} if fmt == "json" else {})
    for fmt, media in library.MEDIA.items()
}


async def compiled(
    uow: UnitOfWork,
    ctx: ReportingContext,
    plan_id: str,
    period: str | None,
    start: date | None,
    end: date | None,
    as_of: date | None,
) -> SubmissionDocument:
    """The submission of an existing plan for a period or a date range, judged on `as_of` (default today)."""
    scope = await generation.resolve_scope(
        uow.session, plan_id, period_id=period, start=start, end=end, as_of=as_of or ctx.today()
    )
    inputs = await queries.load_inputs(uow.session, ctx, plan_id)
    assert inputs is not None  # the caller found the plan
    # Pure and CPU-bound (seconds at national scale, the document as long again): in a thread, as the
    # dashboard and the generation do, so the service goes on answering meanwhile.
    return await asyncio.to_thread(lambda: submission_document(generation.compile_scope(inputs, scope)))


@router.get("/plans", summary="Các kế hoạch được theo dõi mà người gọi được xem")
async def list_plans(runtime: RuntimeDep, principal: PrincipalDep) -> list[PlanOut]:
    async with runtime.uow() as uow:
        visible = [p for p in await queries.plans(uow.session) if access.may_compile(principal, p)]
    return [PlanOut.model_validate(p, from_attributes=True) for p in visible]


@router.get("/plans/{plan_id}/periods", summary="Các kỳ báo cáo của một kế hoạch")
async def plan_periods(plan_id: str, runtime: RuntimeDep, _plan: MayCompile) -> list[PeriodOut]:
    async with runtime.uow() as uow:
        found = await queries.periods(uow.session, plan_id)
    return [PeriodOut(label=period_label(p.period_id), **vars(p)) for p in found]


@router.get(
    "/plans/{plan_id}/submission",
    summary="Tổng hợp kết quả của kế hoạch cho một kỳ hoặc một khoảng ngày (xem trước, không lưu)",
    responses={404: {}, 422: {}},
)
async def preview_submission(
    plan_id: str,
    runtime: RuntimeDep,
    _plan: MayCompile,
    ctx: ContextDep,
    period: PeriodQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
    as_of: AsOfQuery = None,
) -> SubmissionDocument:
    async with runtime.uow() as uow:
        return await compiled(uow, ctx, plan_id, period, start, end, as_of)


@router.get(
    "/plans/{plan_id}/units/{unit}",
    summary="Kết quả của một đơn vị trong kế hoạch (đơn vị tự xem, hoặc cơ quan tổng hợp)",
    responses={404: {}},
)
async def unit_standing(
    plan_id: str,
    unit: str,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    ctx: ContextDep,
    period: PeriodQuery = None,
    as_of: AsOfQuery = None,
) -> UnitOut:
    async with runtime.uow() as uow:
        plan = await uow.session.get(PlanView, plan_id)
        if plan is None or not (principal.may_act_for(unit) or access.may_compile(principal, plan)):
            raise PlanNotFound()
        document = await compiled(uow, ctx, plan_id, period, date.min, date.max, as_of)
    found = next((u for u in document.units if u.code == unit), None)
    if found is None:
        raise NotFound("Đơn vị không có nhiệm vụ nào trong kế hoạch này.")
    return found


@router.post(
    "/reports",
    status_code=201,
    summary="Tạo báo cáo tổng hợp (DOCX, XLSX, JSON) và lưu kèm dữ liệu đầu vào",
    responses={201: {"model": GeneratedOut}, 404: {}, 422: {}},
)
async def create_report(command: GenerateIn, ctx: ContextDep, writer: WriterDep) -> JSONResponse:
    asked = generation.ReportRequest(
        command.plan_id, command.period_id, command.period_start, command.period_end, command.as_of
    )
    shape = generated_answer(base_url(writer.runtime))
    return await writer.run(
        "report.generate", shape, generation.generate_report, ctx, asked, by=writer.principal
    )


def base_url(runtime: Runtime) -> str:
    return runtime.settings.public_base_url.rstrip("/")


@router.get("/reports", summary="Các báo cáo tổng hợp đã tạo của một kế hoạch")
async def list_reports(
    runtime: RuntimeDep, principal: PrincipalDep, plan_id: Annotated[str, Query(max_length=64)]
) -> list[GeneratedOut]:
    async with runtime.uow() as uow:
        if not access.may_compile(principal, await uow.session.get(PlanView, plan_id)):
            raise PlanNotFound()
        return await library.listed(uow.session, plan_id, base_url(runtime))


@router.get("/reports/{report_id}", summary="Một báo cáo tổng hợp đã tạo", responses={404: {}})
async def get_report(report_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> GeneratedOut:
    async with runtime.uow() as uow:
        row = await library.find(uow, principal, report_id)
        return library.described(row, base_url(runtime))


@router.get(
    "/reports/{report_id}/inputs",
    summary="Dữ liệu đầu vào đã dùng để tổng hợp (để tái lập đúng báo cáo)",
    responses={404: {}},
)
async def report_inputs(report_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    async with runtime.uow() as uow:
        row = await library.find(uow, principal, report_id)
        return {"inputs_digest": row.inputs_digest, "inputs": row.inputs}


@router.get(
    "/reports/{report_id}/document.{fmt}",
    summary="Tải báo cáo tổng hợp (docx, xlsx hoặc json)",
    response_class=Response,
    responses={200: {"content": _DOCUMENTS}, 404: {}},
)
async def report_document(
    report_id: str, fmt: Literal["docx", "xlsx", "json"], runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    async with runtime.uow() as uow:
        row = await library.find(uow, principal, report_id)
    return library.document_response(row, fmt)


@router.get("/plans/{plan_id}/reviews", summary="Kết quả và báo cáo của các đơn vị, kèm quyết định duyệt")
async def plan_reviews(plan_id: str, runtime: RuntimeDep, _plan: MayCompile) -> list[PendingOut]:
    async with runtime.uow() as uow:
        return await reviews.pending(uow, plan_id)


@router.post(
    "/reviews",
    status_code=201,
    summary="Chấp nhận, hoặc trả lại để đơn vị chỉnh sửa, một phiên bản kết quả hay báo cáo",
    responses={201: {}, 200: {}, 403: {}, 404: {}, 409: {}, 422: {}},
)
async def post_review(command: ReviewIn, writer: WriterDep) -> JSONResponse:
    return await writer.run("submission.review", decision_answer, reviews.review, writer.principal, command)


@router.post(
    "/admin/tick",
    summary="Chạy ngay một nhịp: tự tạo báo cáo cho các kỳ đã hết hạn gửi",
    tags=["vận hành"],
)
async def admin_tick(request: Request, runtime: RuntimeDep, principal: AdminDep) -> JSONResponse:
    async def tick(_uow: UnitOfWork) -> object:
        return await runtime.jobs.run_now(TICKER)

    return await Writer(request, runtime, principal).run("reporting.tick", _ticked, tick)


def _ticked(generated: object) -> Answer:
    return 200, {"generated": generated}, None

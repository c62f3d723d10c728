"""Intake's HTTP edge for plans: JSON, document uploads, draft edits, confirmation, the original file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from dondoc.directory.addressing import Relation, relations
from dondoc.platform.app import PrincipalDep
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import NotFound, PlanNotFound, TooLarge
from dondoc.platform.writes import WriterDep, refuse
from services.intake.context import IntakeRuntime
from services.intake.domain import plan_flags
from services.intake.http import answers
from services.intake.http.deps import ACCEPTED, DirectoryDep, RuntimeDep, base_url
from services.intake.http.schemas import PLAN_EXAMPLE, ConfirmIn, PlanIn
from services.intake.models import DocumentRecord, PlanRecord
from services.intake.use_cases import documents, plans

router = APIRouter(tags=["kế hoạch"])
PlanBody = Annotated[PlanIn, Body(openapi_examples={"seed-000": {"value": PLAN_EXAMPLE}})]
_READ_CHUNK = 1024 * 1024


def rule(runtime: IntakeRuntime) -> tuple[Relation, ...]:
    """The relations beyond the directory's tree that let a plan address a unit (ADR 0031)."""
    return relations(runtime.settings.plan_addressing)


@router.post("/plans", status_code=202, responses=ACCEPTED, summary="Gửi kế hoạch dạng JSON có cấu trúc")
async def post_plan(
    plan: PlanBody, runtime: RuntimeDep, writer: WriterDep, directory: DirectoryDep
) -> JSONResponse:
    shape = answers.plan(base_url(runtime))
    return await writer.run(
        "plan.submit", shape, plans.submit_plan, writer.principal, directory, plan, rule(runtime)
    )


async def _read_capped(
    runtime: IntakeRuntime, principal: Principal, upload: UploadFile, key: str | None
) -> bytes:
    limit = runtime.settings.max_document_bytes
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            message = f"Tệp quá lớn (tối đa {limit // 1024 // 1024} MB)."
            raise await refuse(runtime, principal, "plan.upload", "/plans/documents", TooLarge(message), key)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/plans/documents",
    status_code=202,
    summary="Tải lên văn bản kế hoạch (TXT, DOCX, PDF) để tạo bản nháp",
    responses={413: {"description": "Tệp quá lớn"}, 415: {"description": "Định dạng không hỗ trợ"}},
)
async def post_document(
    runtime: RuntimeDep,
    writer: WriterDep,
    directory: DirectoryDep,
    file: Annotated[UploadFile, File(description="Văn bản kế hoạch: .txt, .docx hoặc .pdf")],
    issuer: Annotated[str | None, Form(max_length=64, description="Mã đơn vị ban hành")] = None,
) -> JSONResponse:
    principal = writer.principal
    data = await _read_capped(runtime, principal, file, writer.key)
    upload = (data, file.filename or "document", file.content_type)
    writer = writer.about(body=data + b"\x00" + (issuer or "").encode())
    shape = answers.uploaded(base_url(runtime))
    return await writer.run(
        "plan.upload", shape, documents.submit_document, principal, directory, upload, issuer
    )


@router.put(
    "/plans/{plan_id}", status_code=202, responses=ACCEPTED, summary="Sửa bản nháp hoặc sửa đổi kế hoạch"
)
@router.patch(
    "/plans/{plan_id}", status_code=202, responses=ACCEPTED, summary="Sửa bản nháp (cùng dạng PlanIn)"
)
async def put_plan(
    plan_id: str, plan: PlanBody, runtime: RuntimeDep, writer: WriterDep, directory: DirectoryDep
) -> JSONResponse:
    return await writer.run(
        "plan.edit",
        answers.plan(base_url(runtime)),
        plans.update_plan,
        writer.principal,
        directory,
        plan_id,
        plan,
        rule(runtime),
    )


@router.post(
    "/plans/{plan_id}/confirm",
    status_code=202,
    responses=ACCEPTED,
    summary="Xác nhận kế hoạch nháp (phát sự kiện plan.received)",
)
async def confirm_plan(
    plan_id: str,
    runtime: RuntimeDep,
    writer: WriterDep,
    directory: DirectoryDep,
    confirm: Annotated[ConfirmIn | None, Body()] = None,
) -> JSONResponse:
    return await writer.run(
        "plan.confirm",
        answers.plan(base_url(runtime)),
        plans.confirm_plan,
        writer.principal,
        directory,
        plan_id,
        rule(runtime),
        confirm.checked if confirm else [],
    )


async def _readable(runtime: IntakeRuntime, principal: Principal, plan_id: str) -> PlanRecord:
    async with runtime.uow() as uow:
        record = await uow.session.get(PlanRecord, plan_id)
    # Another ward's plan is not disclosed: same answer as a plan that does not exist.
    if record is None or not principal.may_act_for(record.issuer_unit):
        raise PlanNotFound()
    return record


@router.get("/plans/{plan_id}", summary="Xem kế hoạch và trạng thái")
async def get_plan(plan_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> dict[str, object]:
    record = await _readable(runtime, principal, plan_id)
    review = plan_flags.open_flags(record.draft, record.content)
    return {
        "id": record.id,
        "status": record.status,
        "version": record.version,
        "issuer": record.issuer_unit,
        "content": record.content,
        "document_id": record.document_id,
        "draft": record.draft,
        "review": review,
    }


@router.get("/plans/{plan_id}/document", summary="Tải về văn bản gốc của kế hoạch", response_class=Response)
async def get_document(plan_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    record = await _readable(runtime, principal, plan_id)
    async with runtime.uow() as uow:
        document = await uow.session.get(DocumentRecord, record.document_id) if record.document_id else None
    if document is None:
        raise NotFound("Kế hoạch này không được gửi dưới dạng văn bản.")
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in document.filename)
    return Response(
        document.data,
        media_type=document.content_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )

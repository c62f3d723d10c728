"""Plans in the workspace: upload a plan document, review its draft beside the text, confirm it.

Every write is the JSON door's use case (documents.submit_document, plans.update_plan, plans.confirm_plan)
run through `write`: the same validation, audit, idempotency and outbox as a ward system's call.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from dondoc.directory import Directory
from dondoc.directory.addressing import relations
from dondoc.platform.refusals import StaleForm, message_of
from services.intake import directory_store
from services.intake.http import answers
from services.intake.http.deps import holder_of
from services.intake.http.schemas import PlanIn
from services.intake.models import PlanRecord
from services.intake.use_cases import documents, plans
from services.intake.web import plan_form, plan_reads, plan_view
from services.intake.web.access import may_see, refuse, unit_name
from services.intake.web.forms import Form, read_form, writer
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of

router = APIRouter(include_in_schema=False)
_STALE_FORM = message_of(StaleForm)
_NO_FILE = "Hãy chọn tệp văn bản kế hoạch (.docx, .pdf hoặc .txt)."
_NO_UNIT = "Tài khoản chưa gắn với đơn vị nào nên không tải kế hoạch lên được."


async def _directory(request: Request) -> Directory:
    async with runtime_of(request).uow() as uow:
        return await directory_store.current(uow, holder_of(request))


def _base(request: Request) -> str:
    return settings_of(request).public_base_url.rstrip("/")


async def _list(
    request: Request, visitor: Visitor, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    async with runtime_of(request).uow() as uow:
        rows = await plan_reads.plans_of(uow.session, None if visitor.is_admin else visitor.person.unit)
    return page(
        request,
        "plans.html",
        status,
        plans=rows,
        errors=errors or {},
        unit_name=await unit_name(request, visitor.person.unit),
    )


@router.get("/workspace/plans")
async def plans_page(request: Request, visitor: Signed) -> Response:
    return await _list(request, visitor)


@router.post("/workspace/plans")
async def upload(request: Request, visitor: Signed) -> Response:
    form = await read_form(request, visitor, max_files=1)
    if form is None:
        return error(request, 403, _STALE_FORM)
    if visitor.person.unit is None:
        return await _list(request, visitor, 422, {"file": _NO_UNIT})
    files = form.files.get("file") or []
    if not files or not files[0].data:
        return await _list(request, visitor, 422, {"file": _NO_FILE})
    limit = settings_of(request).max_document_bytes
    if len(files[0].data) > limit:
        too_big = f"Tệp quá lớn (tối đa {limit // 1024 // 1024} MB)."
        return await _list(request, visitor, 413, {"file": too_big})
    directory = await _directory(request)
    upload_ = (files[0].data, files[0].filename, None)

    try:
        written = await writer(request, visitor, form).perform(
            "plan.upload",
            answers.uploaded(_base(request)),
            documents.submit_document,
            visitor.principal,
            directory,
            upload_,
            None,
        )
    except HTTPException as refused:
        return await _list(request, visitor, refused.status_code, {"file": str(refused.detail)})
    # The page's writes carry no Idempotency-Key, so the value is always there; the list is a safe default.
    where = f"/workspace/plans/{written.value.plan.id}" if written.value else "/workspace/plans"
    return RedirectResponse(where, 303, headers=HEADERS)


async def _record(request: Request, plan_id: str) -> PlanRecord | None:
    async with runtime_of(request).uow() as uow:
        return await uow.session.get(PlanRecord, plan_id)


async def _show(
    request: Request,
    visitor: Visitor,
    record: PlanRecord,
    status: int = 200,
    form: Form | None = None,
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    directory = await _directory(request)
    rule = relations(settings_of(request).plan_addressing)
    async with runtime_of(request).uow() as uow:
        linkable = await plan_reads.implementable(uow.session, directory, record.issuer_unit)
        linked = record.implements_plan_id
        parent = await uow.session.get(PlanRecord, linked) if linked else None
    default = tuple(settings_of(request).plan_default_report_recurrence)
    view = plan_view.build(record, directory, default)
    return page(
        request,
        "plan_draft.html",
        status,
        record=record,
        view=view,
        typed=dict(form.fields) if form else {},
        errors=errors or {},
        notice=notice,
        linkable=linkable,
        parent_tasks=plan_reads.tasks_of(parent),
        units=plan_reads.unit_options(directory, record.issuer_unit, rule),
        actions=plan_form.ACTIONS,
        kinds=plan_form.KINDS,
        time_kinds=plan_form.TIME_KINDS,
        keep=plan_form.KEEP,
        unit_name=await unit_name(request, visitor.person.unit),
        issuer_name=await unit_name(request, record.issuer_unit),
    )


@router.get("/workspace/plans/{plan_id}")
async def draft_page(request: Request, plan_id: str, visitor: Signed, done: str = "") -> Response:
    record = await _record(request, plan_id)
    if record is None:
        return error(request, 404, "Không tìm thấy kế hoạch.", "/workspace/plans")
    if not may_see(visitor, record.issuer_unit):
        return await refuse(request, visitor, request.url.path)
    notice = {"saved": "Đã lưu bản nháp.", "confirmed": "Đã xác nhận kế hoạch; nhiệm vụ đang được giao."}
    return await _show(request, visitor, record, notice=notice.get(done, ""))


def _errors_of(detail: Any, message: str, refs: list[str]) -> dict[str, str]:
    """A refusal's problems next to their fields: a task's under the task, the rest above the form."""
    errors: dict[str, str] = {}
    loose: list[str] = []
    for item in detail if isinstance(detail, list) else []:
        if not isinstance(item, dict):
            continue
        text = str(item.get("message", ""))
        ref = str(item.get("ref") or "")
        parts = str(item.get("field") or "").split(".")
        at = int(parts[1]) if len(parts) > 1 and parts[0] == "tasks" and parts[1].isdigit() else -1
        if not ref and 0 <= at < len(refs):
            ref = refs[at]
        if not ref:  # an open question names its task in words: «Nhiệm vụ II.4 …»
            named = re.match(r"Nhiệm vụ (\S+?):? ", text)
            ref = named.group(1) if named else ""
        if ref not in refs:
            loose.append(text)
            continue
        key = f"t{refs.index(ref)}_" + ("checked" if item.get("type") == "review_flag" else "task")
        errors[key] = " ".join(e for e in (errors.get(key), text) if e)
    if errors:
        head = f"Chưa xác nhận được: {len(errors)} chỗ cần sửa hoặc kiểm tra, ghi ngay dưới từng nhiệm vụ."
        errors["form"] = " ".join([head, *loose])
    else:
        errors["form"] = " ".join(loose) or message
    return errors


@router.post("/workspace/plans/{plan_id}")
async def save(request: Request, plan_id: str, visitor: Signed) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE_FORM)
    record = await _record(request, plan_id)
    if record is None:
        return error(request, 404, "Không tìm thấy kế hoạch.", "/workspace/plans")
    if not may_see(visitor, record.issuer_unit):
        return await refuse(request, visitor, request.url.path)
    stored = PlanIn.model_validate(record.content)
    refs = [t.ref for t in stored.tasks]
    if problems := plan_form.split_problems(form.fields, len(stored.tasks)):
        problems["form"] = "Hãy sửa các ô được đánh dấu."
        return await _show(request, visitor, record, 422, form, problems)
    directory = await _directory(request)
    try:
        applied = plan_form.apply(directory, stored, form.fields)
        edited = PlanIn.model_validate(applied.model_dump(mode="json"))
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0].get("loc", ()))
        message = f"Nội dung chưa hợp lệ ở «{where}»: hãy kiểm tra lại (nội dung nhiệm vụ không để trống)."
        return await _show(request, visitor, record, 422, form, {"form": message})
    rule = relations(settings_of(request).plan_addressing)
    shape = answers.plan(_base(request))
    if edited.model_dump(mode="json") != stored.model_dump(mode="json") or record.status == "confirmed":
        try:
            await writer(request, visitor, form).run(
                "plan.edit", shape, plans.update_plan, visitor.principal, directory, plan_id, edited, rule
            )
        except HTTPException as refused:
            errors = _errors_of(refused.detail, _message(refused), refs)
            return await _show(request, visitor, record, refused.status_code, form, errors)
    if form.get("do") != "confirm":
        return RedirectResponse(f"/workspace/plans/{plan_id}?done=saved", 303, headers=HEADERS)
    record = await _record(request, plan_id) or record
    now = PlanIn.model_validate(record.content)
    checked = [ref for i, ref in enumerate(refs) if form.get(f"t{i}_checked") == "on"]
    checked = [ref for ref in checked if ref in {t.ref for t in now.tasks}]

    try:
        await writer(request, visitor, form).run(
            "plan.confirm", shape, plans.confirm_plan, visitor.principal, directory, plan_id, rule, checked
        )
    except HTTPException as refused:
        errors = _errors_of(refused.detail, _message(refused), [t.ref for t in now.tasks])
        typed = None if now != stored else form  # tasks split or dropped: the indexes moved
        return await _show(request, visitor, record, refused.status_code, typed, errors)
    return RedirectResponse(f"/workspace/plans/{plan_id}?done=confirmed", 303, headers=HEADERS)


def _message(refused: HTTPException) -> str:
    detail = refused.detail
    if isinstance(detail, list):
        return " ".join(str(d.get("message", "")) for d in detail if isinstance(d, dict)) or "Chưa lưu được."
    return str(detail)

"""An assignment's page: the task, every version sent and its review, the result form; evidence downloads."""

from __future__ import annotations

import hashlib
import uuid

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import select

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.kernel.roles import ROLE_LABELS
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import StaleForm, StaleResult, message_of
from dondoc.platform.uow import UnitOfWork
from services.intake import queries
from services.intake.http import answers
from services.intake.models import EvidenceFile, PendingResult, PlanRecord, ResultRecord
from services.intake.queries import WorkItem
from services.intake.schemas import ResultIn
from services.intake.use_cases import approval, results
from services.intake.use_cases.results import Received
from services.intake.web import reads, result_form, work
from services.intake.web.access import may_see, refuse, unit_name
from services.intake.web.evidence import KINDS, disposition
from services.intake.web.forms import Form, read_form, writer
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of
from shared.events import Sender

router = APIRouter(include_in_schema=False)
_STALE_FORM = message_of(StaleForm)
_NOT_FOUND = (
    "Không tìm thấy nhiệm vụ này. Nếu vừa được giao, hãy thử lại sau ít phút; "
    "nếu kế hoạch đã sửa, nhiệm vụ có thể đã được rút."
)


async def _assignment(request: Request, assignment_id: str) -> WorkItem | None:
    async with runtime_of(request).uow() as uow:
        return await queries.assignment(uow.session, assignment_id)


async def _show(
    request: Request,
    visitor: Visitor,
    item: WorkItem,
    status: int = 200,
    form: Form | None = None,
    errors: dict[str, str] | None = None,
    sent: str | None = None,
) -> Response:
    async with runtime_of(request).uow() as uow:
        history = await reads.versions(uow.session, item.assignment_id)
        proposals = await approval.of_assignment(uow.session, item.assignment_id)
    latest = history[0] if history else None
    proposals = approval.still_open(proposals, latest.submitted_at if latest else None)
    if form is not None:
        typed = dict(form.fields)
    elif latest is not None:  # a correction starts from what was sent last
        typed = {k: str(v) for k, v in latest.content.items() if isinstance(v, str)}
        if latest.content.get("completed_on"):
            year, month, day = str(latest.content["completed_on"]).split("-")
            typed["completed_on"] = f"{day}/{month}/{year}"
    else:
        typed = {}
    typed.setdefault("idempotency", str(uuid.uuid4()))
    shown = str(latest.version if latest else 0)
    typed["seen_version"] = (form.get("seen_version") if form else "") or shown
    sent_item = (
        work.Sent(
            latest.version, str(latest.content.get("status")), latest.decision == "returned", latest.note
        )
        if latest
        else None
    )
    line = work.judge(item, sent_item, reads.today(), settings_of(request).workspace_due_soon_days)
    return page(
        request,
        "assignment.html",
        status,
        item=item,
        line=line,
        history=history,
        typed=typed,
        errors=errors or {},
        sent=sent,
        statuses=result_form.STATUSES,
        role_labels=ROLE_LABELS,
        accept=result_form.ACCEPT,
        max_mb=settings_of(request).workspace_max_evidence_bytes // 1024 // 1024,
        max_files=settings_of(request).workspace_max_evidence_files,
        kinds=KINDS,
        unit_name=await unit_name(request, visitor.person.unit),
        proposals=proposals,
        pending=request.query_params.get("pending") == "1",
    )


@router.get("/workspace/assignments/{assignment_id}")
async def assignment_page(
    request: Request, assignment_id: str, visitor: Signed, sent: str | None = None
) -> Response:
    item = await _assignment(request, assignment_id)
    if item is None:
        return error(request, 404, _NOT_FOUND)
    if not may_see(visitor, item.unit):
        return await refuse(request, visitor, request.url.path)
    return await _show(request, visitor, item, sent=sent if sent and sent.isdigit() else None)


@router.post("/workspace/assignments/{assignment_id}/result")
async def send_result(request: Request, assignment_id: str, visitor: Signed) -> Response:
    settings = settings_of(request)
    form = await read_form(request, visitor, max_files=settings.workspace_max_evidence_files + 5)
    if form is None:
        return error(request, 403, _STALE_FORM)
    item = await _assignment(request, assignment_id)
    if item is None:
        return error(request, 404, _NOT_FOUND)
    if not may_see(visitor, item.unit):
        return await refuse(request, visitor, request.url.path)
    checked = result_form.check(
        form, reads.today(), settings.workspace_max_evidence_bytes, settings.workspace_max_evidence_files
    )
    if checked.errors:
        return await _show(request, visitor, item, 422, form, checked.errors)
    base = settings.public_base_url.rstrip("/")
    seen = int(form.get("seen_version") or 0) if form.get("seen_version").isdigit() else -1
    sender = Sender(username=visitor.person.username, name=visitor.person.name)
    files = [(str(uuid.uuid4()), f) for f in checked.files]
    async with runtime_of(request).uow() as uow:
        # The unit's leader approves first where the unit chose it; a leader's own result goes straight up.
        held = await approval.required(uow.session, item.unit) and not (visitor.is_leader or visitor.is_admin)

    async def send(uow: UnitOfWork) -> Received | PendingResult:
        current = (
            await uow.session.exec(
                select(func.max(ResultRecord.version)).where(
                    ResultRecord.assignment_id == item.assignment_id, ResultRecord.unit == item.unit
                )
            )
        ).one() or 0
        if current != seen:
            raise StaleResult(current)
        result = ResultIn(
            assignment_id=item.assignment_id,
            unit=item.unit,
            status=checked.status,
            completed_on=checked.completed_on,
            attachments=[f"{f.name}: {base}/workspace/evidence/{eid}" for eid, f in files],
            **checked.texts,
        )
        sent: Received | PendingResult
        if held:
            sent = await approval.propose(uow, result, sender)
        else:
            sent = await results.submit_result(uow, visitor.principal, result, sender)
        result_id = sent.id
        for eid, f in files:
            uow.session.add(
                EvidenceFile(
                    id=eid,
                    result_id=result_id,
                    assignment_id=item.assignment_id,
                    unit=item.unit,
                    filename=f.name,
                    kind=f.kind,
                    size=len(f.data),
                    sha256=_sha256(f.data),
                    data=f.data,
                    uploaded_by=visitor.principal.key_id,
                    uploaded_at=SYSTEM_CLOCK.now(),
                )
            )
        return sent

    def shape(sent: Received | PendingResult) -> Answer:
        if isinstance(sent, PendingResult):
            return 202, {"id": sent.id, "pending": True}, item.assignment_id
        return answers.received(base)(sent)

    key = form.get("idempotency")[:200] or None
    action = "result.propose" if held else "result.submit"
    try:
        written = await writer(request, visitor, form, key).perform(action, shape, send)
    except HTTPException as refused:
        message = str(refused.detail) if isinstance(refused.detail, str) else "Thông tin gửi lên chưa hợp lệ."
        # After a conflict the page shows the newer version: sending again is a deliberate act on it.
        seen_now = "" if refused.status_code == 409 else str(seen)
        fresh = Form({**form.fields, "seen_version": seen_now}, form.files)
        return await _show(request, visitor, item, refused.status_code, fresh, {"form": message})
    sent, first = written.value, written.first or {}  # first: the same form sent twice, its first answer
    pending = isinstance(sent, PendingResult) or (sent is None and bool(first.get("pending")))
    version = sent.version if isinstance(sent, Received) else first.get("version")
    done = "pending=1" if pending else f"sent={version}"
    return RedirectResponse(f"/workspace/assignments/{assignment_id}?{done}", 303, headers=HEADERS)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def _may_see_evidence(request: Request, visitor: Visitor, row: EvidenceFile) -> bool:
    """The unit (and its ward), the city administrator, and the plan's issuer and report recipient."""
    if may_see(visitor, row.unit):
        return True
    if visitor.person.unit is None:
        return False
    async with runtime_of(request).uow() as uow:
        item = await queries.assignment(uow.session, row.assignment_id)
        plan = await uow.session.get(PlanRecord, item.plan_id) if item else None
    if plan is None:
        return False
    reporting = plan.content.get("reporting")
    recipients = {
        str(r["recipient"].get("unit"))
        for r in (reporting if isinstance(reporting, list) else [])
        if isinstance(r, dict) and isinstance(r.get("recipient"), dict)
    }
    return visitor.person.unit in recipients | {plan.issuer_unit}


@router.get("/workspace/evidence/{evidence_id}")
async def download(request: Request, evidence_id: str, visitor: Signed) -> Response:
    async with runtime_of(request).uow() as uow:
        row = await reads.evidence(uow.session, evidence_id)
        if row is not None:
            uow.session.expunge(row)
    if row is None:
        return error(request, 404, "Không tìm thấy tệp đính kèm này.")
    if not await _may_see_evidence(request, visitor, row):
        return await refuse(request, visitor, request.url.path)
    headers = {**HEADERS, "Content-Disposition": disposition(row.filename)}
    return Response(row.data, media_type=KINDS[row.kind][0], headers=headers)

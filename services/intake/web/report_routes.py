"""Periodic reports: the list a unit owes and one form per report; the period is chosen, never typed."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import select

from dondoc.kernel.periods import period_label
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import StaleForm, StaleReport, message_of
from dondoc.platform.uow import UnitOfWork
from services.intake.http import answers
from services.intake.http.text import clean_text
from services.intake.models import PendingReport, ReportRecord
from services.intake.schemas import ReportIn
from services.intake.use_cases import approval, results
from services.intake.use_cases.results import Received
from services.intake.web import report_reads
from services.intake.web.access import may_see, refuse, unit_name
from services.intake.web.forms import Form, read_form, writer
from services.intake.web.reads import today
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of
from shared.events import Sender

router = APIRouter(include_in_schema=False)
_STALE_FORM = message_of(StaleForm)
_NOT_OWED = "Đơn vị không có báo cáo này trong danh sách phải gửi (có thể lịch báo cáo chưa đồng bộ xong)."
TEXTS = {
    "narrative": "Tình hình thực hiện",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Kiến nghị, đề xuất",
}


@router.get("/workspace/reports")
async def reports_page(request: Request, visitor: Signed, unit: str = "") -> Response:
    unit = unit.strip() or (visitor.person.unit or "")
    if unit and not may_see(visitor, unit):
        return await refuse(request, visitor, f"/workspace/reports?unit={unit}")
    lines: list[report_reads.OwedLine] = []
    if unit:
        async with runtime_of(request).uow() as uow:
            lines = await report_reads.owed_lines(uow.session, unit, today())
    return page(
        request,
        "reports.html",
        lines=lines,
        chosen=unit,
        period_label=period_label,
        unit_name=await unit_name(request, visitor.person.unit),
    )


async def _owed(request: Request, unit: str, plan: str) -> list[report_reads.OwedLine]:
    async with runtime_of(request).uow() as uow:
        lines = await report_reads.owed_lines(uow.session, unit, today(), offices=False)
    plan_id = None if plan == report_reads.NO_PLAN else plan
    return [line for line in lines if line.owed.plan_id == plan_id]


async def _show(
    request: Request,
    visitor: Visitor,
    lines: list[report_reads.OwedLine],
    line: report_reads.OwedLine,
    status: int = 200,
    form: Form | None = None,
    errors: dict[str, str] | None = None,
    sent: str | None = None,
) -> Response:
    latest = line.versions[0] if line.versions else None
    async with runtime_of(request).uow() as uow:
        proposals = await approval.of_report(
            uow.session, line.owed.unit, line.owed.period_id, line.owed.plan_id
        )
    sent_at = None if latest is None else latest.submitted_at
    proposals = approval.still_open(proposals, sent_at)
    typed: dict[str, str] = dict(form.fields) if form else {}
    draft = proposals[0].content if proposals else latest.content if latest else None
    if form is None and draft is not None:  # a correction starts from what was written last
        typed = {k: str(v) for k, v in draft.items() if k in TEXTS and isinstance(v, str)}
    typed.setdefault("idempotency", str(uuid.uuid4()))
    typed["seen_version"] = typed.get("seen_version") or str(latest.version if latest else 0)
    typed["period"] = typed.get("period") or line.owed.period_id
    typed["page_period"] = line.owed.period_id
    return page(
        request,
        "report.html",
        status,
        line=line,
        lines=lines,
        typed=typed,
        errors=errors or {},
        sent=sent,
        proposals=proposals,
        pending=request.query_params.get("pending") == "1",
        texts=TEXTS,
        period_label=period_label,
        unit_name=await unit_name(request, visitor.person.unit),
    )


@router.get("/workspace/reports/{plan}/{period_id}")
async def report_page(
    request: Request, plan: str, period_id: str, visitor: Signed, unit: str = "", sent: str | None = None
) -> Response:
    unit = unit.strip() or (visitor.person.unit or "")
    if not unit or not may_see(visitor, unit):
        return await refuse(request, visitor, request.url.path)
    lines = await _owed(request, unit, plan)
    line = next((x for x in lines if x.owed.period_id == period_id), None)
    if line is None:
        return error(request, 404, _NOT_OWED, "/workspace/reports")
    return await _show(request, visitor, lines, line, sent=sent if sent and sent.isdigit() else None)


@router.post("/workspace/reports/{plan}")
async def send_report(request: Request, plan: str, visitor: Signed, unit: str = "") -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE_FORM)
    unit = unit.strip() or (visitor.person.unit or "")
    if not unit or not may_see(visitor, unit):
        return await refuse(request, visitor, request.url.path)
    lines = await _owed(request, unit, plan)
    line = next((x for x in lines if x.owed.period_id == form.get("period")), None)
    if line is None:
        if not lines:
            return error(request, 404, _NOT_OWED, "/workspace/reports")
        return await _show(
            request,
            visitor,
            lines,
            lines[0],
            422,
            form,
            {"period": "Hãy chọn một kỳ báo cáo trong danh sách."},
        )
    errors: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for name in TEXTS:
        try:
            texts[name] = clean_text(form.get(name)) or None
        except ValueError as bad:
            errors[name] = str(bad)
        if len(form.get(name)) > 20_000:
            errors[name] = "Nội dung quá dài (tối đa 20.000 ký tự); hãy rút gọn."
    if not texts.get("narrative") and "narrative" not in errors:
        errors["narrative"] = "Hãy ghi tình hình thực hiện trong kỳ."
    if errors:
        return await _show(request, visitor, lines, line, 422, form, errors)
    seen = int(form.get("seen_version")) if form.get("seen_version").isdigit() else -1
    if form.get("period") != form.get("page_period"):  # another period chosen: what the page showed is moot
        seen = line.versions[0].version if line.versions else 0
    plan_id = line.owed.plan_id
    settings = settings_of(request)
    sender = Sender(username=visitor.person.username, name=visitor.person.name)
    async with runtime_of(request).uow() as uow:
        # The unit's leader approves first where the unit chose it; a leader's own report goes straight up.
        held = await approval.required(uow.session, unit) and not (visitor.is_leader or visitor.is_admin)

    async def send(uow: UnitOfWork) -> Received | PendingReport:
        current = (
            await uow.session.exec(
                select(func.max(ReportRecord.version)).where(
                    ReportRecord.unit == unit,
                    ReportRecord.period_id == line.owed.period_id,
                    ReportRecord.plan_id == plan_id,
                )
            )
        ).one() or 0
        if current != seen:
            raise StaleReport(current)
        report = ReportIn(unit=unit, period_id=line.owed.period_id, plan_id=plan_id, **texts)
        if held:
            return await approval.propose_report(uow, report, sender)
        return await results.submit_report(uow, visitor.principal, report, sender)

    def shape(sent: Received | PendingReport) -> Answer:
        if isinstance(sent, PendingReport):
            return 202, {"id": sent.id, "pending": True}, f"{unit}/{line.owed.period_id}"
        return answers.received(settings.public_base_url.rstrip("/"))(sent)

    key = form.get("idempotency")[:200] or None
    action = "report.propose" if held else "report.submit"
    try:
        written = await writer(request, visitor, form, key).perform(action, shape, send)
    except HTTPException as refused:
        message = str(refused.detail) if isinstance(refused.detail, str) else "Thông tin gửi lên chưa hợp lệ."
        fresh = Form({**form.fields, "seen_version": "" if refused.status_code == 409 else str(seen)})
        again = await _owed(request, unit, plan)
        now_line = next((x for x in again if x.owed.period_id == line.owed.period_id), line)
        return await _show(request, visitor, again, now_line, refused.status_code, fresh, {"form": message})
    sent, first = written.value, written.first or {}  # first: the same form sent twice, its first answer
    pending = isinstance(sent, PendingReport) or (sent is None and bool(first.get("pending")))
    version = sent.version if isinstance(sent, Received) else first.get("version")
    done = "pending=1" if pending else f"sent={version}"
    return RedirectResponse(f"{line.path}&{done}", 303, headers=HEADERS)

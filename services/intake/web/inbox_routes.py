"""The inbox (notify's, read server-side) and the stable pages notices link to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dondoc.platform.audit import record_accepted, record_refused
from dondoc.platform.refusals import StaleForm, message_of
from services.intake import queries
from services.intake.models import ReportRecord, ResultRecord
from services.intake.use_cases import inbox_keys
from services.intake.web import inbox
from services.intake.web.access import may_see, refuse, unit_name
from services.intake.web.forms import read_form
from services.intake.web.render import HEADERS, error, page
from services.intake.web.report_reads import NO_PLAN
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of

router = APIRouter(include_in_schema=False)
_STALE_FORM = message_of(StaleForm)


async def _units(request: Request, visitor: Visitor, unit: str) -> list[str]:
    """The unit's own inbox and those of its offices that have work (a ward reads its offices' notices)."""
    async with runtime_of(request).uow() as uow:
        items = await queries.assignments_of(uow.session, unit)
        units = [unit, *sorted({i.unit for i in items} - {unit})]
        changed = False
        for code in units:
            changed = await inbox_keys.ensure(uow, settings_of(request), code) or changed
        if changed:  # a key issued on the way is a write like any other: audited with who caused it
            await record_accepted(uow.session, uow.tables, visitor.principal, "inbox.key", unit, 201)
            await uow.commit()
    return units


@router.get("/workspace/inbox")
async def inbox_page(request: Request, visitor: Signed, unit: str = "") -> Response:
    unit = unit.strip() or (visitor.person.unit or "")
    if unit and not may_see(visitor, unit):
        return await refuse(request, visitor, f"/workspace/inbox?unit={unit}")
    notices: list[inbox.Notice] = []
    problems: list[str] = []
    if unit:
        for code in await _units(request, visitor, unit):
            try:
                notices += await inbox.notices(settings_of(request), code)
            except inbox.InboxUnavailable as unavailable:
                problems.append(str(unavailable))
    notices.sort(key=lambda n: n.created_at, reverse=True)
    return page(
        request,
        "inbox.html",
        notices=notices,
        problems=sorted(set(problems)),
        chosen=unit,
        unread=sum(1 for n in notices if not n.read),
        unit_name=await unit_name(request, visitor.person.unit),
    )


@router.post("/workspace/inbox/{unit}/{notice_id}/{action}")
async def mark(request: Request, unit: str, notice_id: str, action: str, visitor: Signed) -> Response:
    """`read` marks a notice read; `open` marks it read and goes to the page it is about."""
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE_FORM)
    if not may_see(visitor, unit) or action not in ("read", "open"):
        return await refuse(request, visitor, request.url.path)
    runtime, settings = runtime_of(request), settings_of(request)
    try:
        agreed = await inbox.mark_read(settings, unit, notice_id, f"workspace-read-{notice_id}")
    except inbox.InboxUnavailable as unavailable:
        return error(request, 503, str(unavailable), "/workspace/inbox")
    if not agreed:
        message = "Không tìm thấy thông báo này trong hộp thư của đơn vị."
        await record_refused(
            runtime.engine, runtime.spec.tables, visitor.principal, "inbox.read", notice_id, 404, message
        )
        return error(request, 404, message, "/workspace/inbox")
    async with runtime.uow() as uow:
        await record_accepted(uow.session, uow.tables, visitor.principal, "inbox.read", notice_id, 200)
        await uow.commit()
    target = inbox.workspace_link(form.get("link")) if action == "open" else None
    return RedirectResponse(target or "/workspace/inbox", 303, headers=HEADERS)


@router.get("/workspace/results/{result_id}")
async def result_page(request: Request, result_id: str, visitor: Signed) -> Response:
    """A result a notice names (e.g. returned for correction): its assignment's page."""
    async with runtime_of(request).uow() as uow:
        row = await uow.session.get(ResultRecord, result_id)
    if row is None:
        return error(request, 404, "Không tìm thấy kết quả này.")
    if not may_see(visitor, row.unit):
        return await refuse(request, visitor, request.url.path)
    return RedirectResponse(f"/workspace/assignments/{row.assignment_id}", 303, headers=HEADERS)


@router.get("/workspace/report-versions/{report_id}")
async def report_version_page(request: Request, report_id: str, visitor: Signed) -> Response:
    """A periodic report a notice names: the page of that report."""
    async with runtime_of(request).uow() as uow:
        row = await uow.session.get(ReportRecord, report_id)
    if row is None:
        return error(request, 404, "Không tìm thấy báo cáo này.")
    if not may_see(visitor, row.unit):
        return await refuse(request, visitor, request.url.path)
    target = f"/workspace/reports/{row.plan_id or NO_PLAN}/{row.period_id}?unit={row.unit}"
    return RedirectResponse(target, 303, headers=HEADERS)

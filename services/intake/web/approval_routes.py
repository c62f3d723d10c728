"""The leader's page: results and reports waiting for approval, and whether the unit approves them first."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from dondoc.kernel.periods import period_label
from dondoc.platform.refusals import StaleForm, message_of
from services.intake.http import answers
from services.intake.models import PendingReport, PendingResult, ReplicaAssignment, UnitPreference
from services.intake.use_cases import approval
from services.intake.web.access import refuse, unit_name
from services.intake.web.forms import read_form, writer
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of
from shared.events import Sender

router = APIRouter(include_in_schema=False)
_STALE_FORM = message_of(StaleForm)
_LEADERS = "Chỉ lãnh đạo đơn vị được duyệt kết quả, báo cáo và chọn cách duyệt của đơn vị."


def _leader_unit(visitor: Visitor) -> str | None:
    return visitor.person.unit if visitor.is_leader else None


async def _show(
    request: Request, visitor: Visitor, unit: str, status: int = 200, *, leader: bool = True, **extra: object
) -> Response:
    async with runtime_of(request).uow() as uow:
        waiting = await approval.waiting(uow.session, PendingResult, unit)
        reports = await approval.waiting(uow.session, PendingReport, unit)
        preference = await uow.session.get(UnitPreference, unit)
        ids = {p.assignment_id for p in waiting}
        query = select(ReplicaAssignment).where(col(ReplicaAssignment.assignment_id).in_(ids))
        tasks = {row.assignment_id: row for row in (await uow.session.exec(query)).all()} if ids else {}
    return page(
        request,
        "approvals.html",
        status,
        waiting=waiting,
        tasks=tasks,
        reports=reports,
        names={code: await unit_name(request, code) for code in {p.unit for p in reports}},
        period_label=period_label,
        on=bool(preference and preference.approval_required),
        leader=leader,
        errors=extra.get("errors", {}),
        unit_name=await unit_name(request, unit),
    )


async def _is_result(request: Request, pending_id: str) -> bool:
    """Whether the id is a result's proposal (the audit names what was approved); else a report's."""
    async with runtime_of(request).uow() as uow:
        return await uow.session.get(PendingResult, pending_id) is not None


@router.get("/workspace/approvals")
async def approvals_page(request: Request, visitor: Signed) -> Response:
    """The leader decides here; an officer of a unit (or of one of its offices) sees what waits, read only:
    the "waiting for your leader" notice links here, and the whole unit reads that notice (ADR 0120)."""
    unit = _leader_unit(visitor)
    if unit is not None:
        return await _show(request, visitor, unit)
    if visitor.person.unit is None:
        return await refuse(request, visitor, request.url.path, _LEADERS)
    return await _show(request, visitor, visitor.person.unit, leader=False)


@router.post("/workspace/approvals/preference")
async def choose(request: Request, visitor: Signed) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE_FORM)
    unit = _leader_unit(visitor)
    if unit is None:
        return await refuse(request, visitor, request.url.path, _LEADERS)
    on = form.get("approval") == "on"

    await writer(request, visitor, form).run(
        "unit.approval", answers.choice, approval.choose, visitor.principal, unit, on
    )
    return RedirectResponse("/workspace/approvals", 303, headers=HEADERS)


@router.post("/workspace/approvals/{pending_id}")
async def decide(request: Request, pending_id: str, visitor: Signed) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE_FORM)
    unit = _leader_unit(visitor)
    if unit is None:
        return await refuse(request, visitor, request.url.path, _LEADERS)
    approve = form.get("decision") == "approve"
    shape = answers.decided(settings_of(request).public_base_url.rstrip("/"))
    note = form.get("note") or None
    leader = Sender(username=visitor.person.username, name=visitor.person.name)
    kind = "result" if await _is_result(request, pending_id) else "report"
    action = f"{kind}.approve" if approve else f"{kind}.return"
    try:
        await writer(request, visitor, form).run(
            action, shape, approval.decide, visitor.principal, pending_id, approve, note, leader
        )
    except HTTPException as refused:
        message = str(refused.detail)
        if refused.status_code == 422:
            return await _show(request, visitor, unit, 422, errors={pending_id: message})
        return error(request, refused.status_code, message, "/workspace/approvals")
    return RedirectResponse("/workspace/approvals", 303, headers=HEADERS)

"""The dashboard's forms (review, generate) and downloads; each write goes through the audited use case."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from dondoc.platform.idempotency import Answer
from dondoc.platform.uow import UnitOfWork
from dondoc.platform.writes import write
from services.reporting.context import ReportingRuntime
from services.reporting.http import library
from services.reporting.http.deps import runtime_of
from services.reporting.http.schemas import ReviewIn
from services.reporting.models import GeneratedReport, PlanView
from services.reporting.use_cases import access, generation, reviews
from services.reporting.web.auth import Viewer, read_form, safe_next, stale_form
from services.reporting.web.render import HEADERS, error

router = APIRouter(include_in_schema=False)


def _runtime(request: Request) -> ReportingRuntime:
    return runtime_of(request)


def _message(detail: object) -> str:
    if isinstance(detail, str):
        return detail
    return "Thông tin gửi lên chưa hợp lệ."


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.post("/dashboard/reviews")
async def post_review(request: Request, principal: Viewer) -> Response:
    """Accept, or return for correction, one version of a result or report (use_cases.reviews)."""
    form = await read_form(request)
    if form is None:
        return stale_form(request)
    back = safe_next(form.get("back"))
    try:
        command = ReviewIn(
            kind=form.get("kind"),
            item_id=form.get("item_id"),
            version=int(form.get("version") or 0),
            decision=form.get("decision"),
            note=form.get("note") or None,
        )
    except (ValidationError, ValueError) as invalid:
        errors = invalid.errors() if isinstance(invalid, ValidationError) else []
        said = [str(e.get("ctx", {}).get("error", "")) for e in errors if e.get("type") == "value_error"]
        return error(request, 422, said[0] if said and said[0] else "Thông tin duyệt chưa hợp lệ.", back)

    async def work(uow: UnitOfWork) -> Answer:
        return await reviews.review(uow, principal, command, getattr(request.state, "person_name", None))

    key = form.get("idempotency") or None
    try:
        await write(request, _runtime(request), principal, "submission.review", key, work, body=form.raw)
    except HTTPException as refused:
        return error(request, refused.status_code, _message(refused.detail), back)
    return RedirectResponse(back, 303, headers=HEADERS)


@router.post("/dashboard/plans/{plan_id}/reports")
async def post_generate(request: Request, plan_id: str, principal: Viewer) -> Response:
    """Compile the plan's submission for a period or a date range, keep it, and show its downloads."""
    form = await read_form(request)
    if form is None:
        return stale_form(request)
    ctx = runtime_of(request).context
    back = f"/dashboard/plans/{plan_id}"

    async def work(uow: UnitOfWork) -> Answer:
        asked = generation.ReportRequest(
            plan_id, form.get("period") or None, _date(form.get("from")), _date(form.get("to"))
        )
        row = await generation.generate_report(uow, ctx, asked, by=principal)
        return 201, library.described(row, "/dashboard").model_dump(mode="json"), row.report_id

    key = form.get("idempotency") or None
    try:
        answer = await write(
            request, _runtime(request), principal, "report.generate", key, work, body=form.raw
        )
    except HTTPException as refused:
        return error(request, refused.status_code, _message(refused.detail), back)
    report_id = json.loads(bytes(answer.body))["report_id"]
    return RedirectResponse(f"/dashboard/reports/{report_id}", 303, headers=HEADERS)


@router.get("/dashboard/reports/{report_id}/document.{fmt}")
async def download(
    request: Request, report_id: str, fmt: Literal["docx", "xlsx", "json"], principal: Viewer
) -> Response:
    """The same file the API serves (library.document_response), for a signed-in browser."""
    async with _runtime(request).uow() as uow:
        row = await uow.session.get(GeneratedReport, report_id)
        plan = await uow.session.get(PlanView, row.plan_id) if row else None
    if row is None or plan is None or not access.may_compile(principal, plan):
        return error(request, 404, "Không tìm thấy báo cáo tổng hợp này.")
    return library.document_response(row, fmt)

"""The dashboard's forms (review, generate) and downloads; each write goes through the audited use case."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from dondoc.platform.auth import Principal
from dondoc.platform.writes import Writer
from services.reporting.context import ReportingRuntime
from services.reporting.http import library
from services.reporting.http.deps import decision_answer, generated_answer, runtime_of
from services.reporting.models import GeneratedReport, PlanView
from services.reporting.schemas import ReviewIn
from services.reporting.use_cases import access, generation, reviews
from services.reporting.web.auth import Form as PageForm
from services.reporting.web.auth import Viewer, read_form, safe_next, stale_form
from services.reporting.web.render import HEADERS, MISSING_NOTE, error

router = APIRouter(include_in_schema=False)


def _runtime(request: Request) -> ReportingRuntime:
    return runtime_of(request)


def _writer(request: Request, principal: Principal, form: PageForm) -> Writer:
    """The signed-in person's writes, keyed by the form's own idempotency token."""
    key = form.get("idempotency") or None
    return Writer(request, _runtime(request), principal, key, body=form.raw)


def _message(detail: object) -> str:
    if isinstance(detail, str):
        return detail
    return "Thông tin gửi lên chưa hợp lệ."


def _missing_note(back: str, form: PageForm) -> str:
    """The page the form came from, marked so that its return form shows why nothing was returned."""
    field = f"{form.get('kind')}-{form.get('item_id')}-{form.get('version')}"
    path = back.partition("#")[0]
    query = urlencode({MISSING_NOTE: field})
    return f"{path}{'&' if '?' in path else '?'}{query}#note-{quote(field)}"


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
    if form.get("decision") == "returned" and not (form.get("note") or "").strip():
        # The reason is the one field a person can get wrong here: back to the form, the error beside it.
        return RedirectResponse(_missing_note(back, form), 303, headers=HEADERS)
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

    writer = _writer(request, principal, form)
    person = getattr(request.state, "person_name", None)
    try:
        await writer.run("submission.review", decision_answer, reviews.review, principal, command, person)
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

    asked = generation.ReportRequest(
        plan_id, form.get("period") or None, _date(form.get("from")), _date(form.get("to"))
    )
    writer = _writer(request, principal, form)
    shape = generated_answer("/dashboard")
    try:
        written = await writer.perform(
            "report.generate", shape, generation.generate_report, ctx, asked, by=principal
        )
    except HTTPException as refused:
        return error(request, refused.status_code, _message(refused.detail), back)
    # The same form sent twice (its idempotency key replayed): the report the first one made.
    report_id = written.value.report_id if written.value else (written.first or {}).get("report_id")
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

"""Compiling a plan's submission for a period or a date range, and keeping each generation reproducible."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.periods import period_label
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid, PeriodNotFound, PlanNotFound
from dondoc.platform.uow import UnitOfWork
from services.reporting import queries
from services.reporting.context import ReportingContext
from services.reporting.documents.docx import render_docx
from services.reporting.documents.json_export import render_json
from services.reporting.documents.meta import DocumentMeta
from services.reporting.documents.xlsx import render_xlsx
from services.reporting.domain import ReportingInputs, Submission, compile_submission
from services.reporting.domain.snapshot import digest, inputs_from_dict, inputs_to_dict
from services.reporting.models import GeneratedReport, PlanView
from services.reporting.use_cases import access
from shared.events import ReportGenerated

FORMATS = ("docx", "xlsx", "json")


@dataclass(frozen=True)
class Scope:
    """What one submission covers: a plan, a named period or a date range, judged on `as_of`."""

    plan_id: str
    period_id: str | None
    period_start: date
    period_end: date
    as_of: date

    @property
    def period_ids(self) -> frozenset[str] | None:
        """The named period, for selecting the reports expected."""
        return frozenset({self.period_id}) if self.period_id else None

    @property
    def judged_on(self) -> date:
        """The day statuses are judged on: a named period's data cut-off once it has passed, else `as_of`.

        Derived from the kept fields alone, so that reproducing a kept report judges on the same day.
        """
        return min(self.as_of, self.period_end) if self.period_id else self.as_of

    @property
    def label(self) -> str:
        """'6 tháng đầu năm 2026', or the dates of a range."""
        if self.period_id:
            return period_label(self.period_id)
        return f"từ {self.period_start:%d/%m/%Y} đến {self.period_end:%d/%m/%Y}"


async def resolve_scope(
    session: AsyncSession,
    plan_id: str,
    *,
    period_id: str | None,
    start: date | None,
    end: date | None,
    as_of: date,
) -> Scope:
    """The scope a request names: a known reporting period of the plan, or both ends of a date range."""
    if period_id:
        known = {p.period_id: p for p in await queries.periods(session, plan_id)}
        found = known.get(period_id)
        if found is None:
            choices = ", ".join(sorted(known)) or "chưa có kỳ nào"
            raise PeriodNotFound(period_id, choices)
        return Scope(
            plan_id,
            period_id,
            found.window_start or found.first_deadline,
            found.window_end or found.last_deadline,
            as_of,
        )
    if start is None or end is None:
        raise Invalid("Hãy chọn một kỳ báo cáo (period) hoặc cả ngày bắt đầu (from) và ngày kết thúc (to).")
    if end < start:
        raise Invalid("Ngày kết thúc (to) phải sau hoặc bằng ngày bắt đầu (from).")
    return Scope(plan_id, None, start, end, as_of)


def compile_scope(inputs: ReportingInputs, scope: Scope) -> Submission:
    """The submission for the scope (pure)."""
    return compile_submission(
        inputs, scope.period_start, scope.period_end, scope.as_of, scope.period_ids, scope.judged_on
    )


def document_meta(scope: Scope, submission: Submission) -> DocumentMeta:
    """The header and title fields the compiler will complete (number and date stay blank).

    A named period titles the report as offices write it ("… 6 tháng đầu năm 2026"); a date range keeps
    the documents' default title, which spells out both dates.
    """
    if scope.period_id is None:
        return DocumentMeta()
    plan = submission.plan
    number = plan.number or "…"
    return DocumentMeta(
        subject=f"Kết quả thực hiện Kế hoạch số {number} của {plan.issuer_name} {scope.label}"
    )


@dataclass(frozen=True)
class Documents:
    """One submission in every format."""

    docx: bytes
    xlsx: bytes
    json: bytes


def render_documents(submission: Submission, scope: Scope) -> Documents:
    """DOCX (Decree 30 form), XLSX and JSON of one submission."""
    return Documents(
        render_docx(submission, document_meta(scope, submission)),
        render_xlsx(submission),
        render_json(submission),
    )


def _compiled_and_rendered(inputs: ReportingInputs, scope: Scope) -> tuple[dict[str, object], str, Documents]:
    snapshot = inputs_to_dict(inputs)
    return snapshot, digest(snapshot), render_documents(compile_scope(inputs, scope), scope)


async def generate(
    uow: UnitOfWork,
    ctx: ReportingContext,
    scope: Scope,
    *,
    trigger: Literal["on_demand", "period_closed"] = "on_demand",
    created_by: str | None = None,
) -> GeneratedReport:
    """Compile, render and keep a submission with its inputs; announce it (report.generated) on commit."""
    inputs = await queries.load_inputs(uow.session, ctx, scope.plan_id)
    if inputs is None:
        raise PlanNotFound()
    # The snapshot, the compile and the documents are pure and CPU-bound (a second at city scale, several at
    # national scale): off the event loop, so consumers and every other request keep flowing.
    snapshot, inputs_digest, documents = await asyncio.to_thread(_compiled_and_rendered, inputs, scope)
    row = GeneratedReport(
        report_id=str(uuid.uuid4()),
        plan_id=scope.plan_id,
        period_id=scope.period_id,
        period_start=scope.period_start,
        period_end=scope.period_end,
        as_of=scope.as_of,
        trigger=trigger,
        auto_key=f"{scope.plan_id}|{scope.period_id}" if trigger == "period_closed" else None,
        inputs_digest=inputs_digest,
        inputs=snapshot,
        docx=documents.docx,
        xlsx=documents.xlsx,
        json_document=documents.json,
        created_by=created_by,
        created_at=ctx.now(),
    )
    uow.session.add(row)
    uow.emit(
        ReportGenerated(
            report_id=row.report_id,
            plan_id=scope.plan_id,
            period_start=scope.period_start,
            period_end=scope.period_end,
            formats=list(FORMATS),
            inputs_digest=row.inputs_digest,
            period_id=scope.period_id,
            trigger=trigger,
            as_of=scope.as_of,
        ),
        key=scope.plan_id,
        subject=row.report_id,
    )
    return row


@dataclass(frozen=True)
class ReportRequest:
    """What a caller asks to compile: a plan and a named period, or a date range, judged on `as_of`."""

    plan_id: str
    period_id: str | None = None
    start: date | None = None
    end: date | None = None
    as_of: date | None = None


async def generate_report(
    uow: UnitOfWork,
    ctx: ReportingContext,
    asked: ReportRequest,
    *,
    by: Principal | None = None,
    trigger: Literal["on_demand", "period_closed"] = "on_demand",
) -> GeneratedReport:
    """The one way a submission is compiled and kept: the API, the dashboard and the ticker all call it.

    `by` is whoever asked, who must be allowed to compile the plan (else, as for a plan that does not
    exist, `PlanNotFound`); the ticker asks as no one, for a period that closed.
    """
    if by is not None:
        plan = await uow.session.get(PlanView, asked.plan_id)
        if plan is None or not access.may_compile(by, plan):
            raise PlanNotFound()
    scope = await resolve_scope(
        uow.session,
        asked.plan_id,
        period_id=asked.period_id,
        start=asked.start,
        end=asked.end,
        as_of=asked.as_of or ctx.today(),
    )
    return await generate(uow, ctx, scope, trigger=trigger, created_by=by.key_id if by else None)


def scope_of(row: GeneratedReport) -> Scope:
    """The scope a generated report covered."""
    return Scope(row.plan_id, row.period_id, row.period_start, row.period_end, row.as_of)


def reproduce(row: GeneratedReport) -> Submission:
    """The submission compiled again from the inputs the report kept: the same figures, exactly."""
    return compile_scope(inputs_from_dict(row.inputs), scope_of(row))

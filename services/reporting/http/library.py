"""The generated reports kept by the service: finding them, describing them, naming their files."""

from __future__ import annotations

from fastapi import Response
from sqlalchemy.orm import defer
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.platform.auth import Principal
from dondoc.platform.refusals import GeneratedReportNotFound
from dondoc.platform.uow import UnitOfWork
from services.reporting.http.schemas import GeneratedOut
from services.reporting.models import GeneratedReport, PlanView
from services.reporting.use_cases import access
from services.reporting.use_cases.generation import FORMATS

# The listing leaves the documents themselves in the store.
_HEAVY = ("docx", "xlsx", "json_document", "inputs")
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def links(report_id: str, base: str) -> dict[str, str]:
    """Where each format of a generated report is downloaded."""
    return {fmt: f"{base}/reports/{report_id}/document.{fmt}" for fmt in FORMATS} | {
        "inputs": f"{base}/reports/{report_id}/inputs"
    }


def described(row: GeneratedReport, base: str) -> GeneratedOut:
    """The report's description with its download links."""
    return GeneratedOut(
        report_id=row.report_id,
        plan_id=row.plan_id,
        period_id=row.period_id,
        period_start=row.period_start,
        period_end=row.period_end,
        as_of=row.as_of,
        trigger=row.trigger,
        inputs_digest=row.inputs_digest,
        created_at=row.created_at,
        links=links(row.report_id, base),
    )


async def listed(session: AsyncSession, plan_id: str, base: str) -> list[GeneratedOut]:
    """A plan's generated reports, newest first."""
    query = (
        select(GeneratedReport)
        .options(*(defer(getattr(GeneratedReport, name)) for name in _HEAVY))
        .where(col(GeneratedReport.plan_id) == plan_id)
        .order_by(col(GeneratedReport.created_at).desc())
    )
    return [described(row, base) for row in (await session.exec(query)).all()]


async def find(uow: UnitOfWork, principal: Principal, report_id: str) -> GeneratedReport:
    """A generated report the caller may see (404 otherwise)."""
    row = await uow.session.get(GeneratedReport, report_id)
    plan = await uow.session.get(PlanView, row.plan_id) if row else None
    if row is None or plan is None or not access.may_compile(principal, plan):
        raise GeneratedReportNotFound()
    return row


def file_name(row: GeneratedReport, fmt: str) -> str:
    """bao-cao-<period or dates>-<short id>.<fmt>: ASCII, so every browser saves it as named."""
    span = row.period_id or f"{row.period_start:%Y%m%d}-{row.period_end:%Y%m%d}"
    return f"bao-cao-{span}-{row.report_id[:8]}.{fmt}"


def document_response(row: GeneratedReport, fmt: str) -> Response:
    """One format of a generated report as a download (the API and the dashboard both answer this)."""
    body = {"docx": row.docx, "xlsx": row.xlsx, "json": row.json_document}[fmt]
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{file_name(row, fmt)}"'},
    )

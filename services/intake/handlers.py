"""Intake's use cases: store what a unit sends, then let its event leave through the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import col, select

from dondoc.platform.auth import Principal
from dondoc.platform.uow import UnitOfWork
from services.intake.models import PlanRecord, PlanVersion, ReportRecord, ResultRecord
from services.intake.schemas import PlanIn, ReportIn, ResultIn
from shared.events import (
    PlanReceived,
    PlanTask,
    ReportingObligation,
    ReportSubmitted,
    ResultSubmitted,
    UnitRef,
)

Answer = tuple[int, dict[str, object], str | None]


class Refused(Exception):
    """A write the caller may not make; the route answers with `status` and audits it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _now() -> datetime:
    return datetime.now(UTC)


def plan_content(plan: PlanIn, plan_id: str, issuer_name: str) -> dict[str, object]:
    """The plan as `plan.received` will carry it (version filled in on confirmation)."""
    payload = PlanReceived(
        plan_id=plan_id,
        version=1,
        number=plan.number,
        title=plan.title,
        issued_on=plan.issued_on,
        issuer=UnitRef(text=issuer_name, unit=plan.issuer),
        implements=plan.implements,
        implements_plan_id=plan.implements_plan_id,
        tasks=[PlanTask.model_validate(t.model_dump()) for t in plan.tasks],
        reporting=[ReportingObligation.model_validate(r.model_dump()) for r in plan.reporting],
    )
    return payload.model_dump(mode="json")


async def submit_plan(
    uow: UnitOfWork, principal: Principal, plan: PlanIn, issuer_name: str, base: str
) -> Answer:
    """Store a structured plan; unless it is a draft, confirm it at once (it is the issuer's own data)."""
    if not principal.may_act_for(plan.issuer):
        raise Refused(403, "Khóa truy cập này không được gửi kế hoạch thay cho đơn vị khác.")
    plan_id = str(uuid.uuid4())
    now = _now()
    record = PlanRecord(
        id=plan_id,
        issuer_unit=plan.issuer,
        status="draft",
        number=plan.number,
        title=plan.title,
        issued_on=plan.issued_on,
        implements_plan_id=plan.implements_plan_id,
        content=plan_content(plan, plan_id, issuer_name),
        created_by=principal.key_id,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(record)
    if not plan.draft:
        await _confirm(uow, principal, record)
    return (
        202,
        {
            "id": plan_id,
            "status": record.status,
            "version": record.version,
            "link": f"{base}/plans/{plan_id}",
        },
        plan_id,
    )


async def confirm_plan(uow: UnitOfWork, principal: Principal, plan_id: str, base: str) -> Answer:
    """An authorised person of the issuing unit confirms a draft (or a revision): `plan.received` leaves."""
    record = await uow.session.get(PlanRecord, plan_id)
    if record is None:
        raise Refused(404, "Không tìm thấy kế hoạch.")
    if not principal.may_act_for(record.issuer_unit):
        raise Refused(403, "Chỉ đơn vị ban hành kế hoạch mới được xác nhận kế hoạch này.")
    await _confirm(uow, principal, record)
    return (
        202,
        {
            "id": plan_id,
            "status": record.status,
            "version": record.version,
            "link": f"{base}/plans/{plan_id}",
        },
        plan_id,
    )


async def _confirm(uow: UnitOfWork, principal: Principal, record: PlanRecord) -> None:
    record.version += 1
    record.status = "confirmed"
    record.updated_at = _now()
    content = dict(record.content) | {"version": record.version}
    record.content = content
    uow.session.add(record)
    uow.session.add(
        PlanVersion(
            plan_id=record.id,
            version=record.version,
            content=content,
            confirmed_by=principal.key_id,
            confirmed_at=record.updated_at,
        )
    )
    uow.emit(PlanReceived.model_validate(content), key=record.id, subject=record.id)


async def _next_version(
    uow: UnitOfWork, model: type[ResultRecord] | type[ReportRecord], **where: str | None
) -> int:
    query = select(func.max(model.version))
    for name, value in where.items():
        query = query.where(col(getattr(model, name)) == value)
    current = (await uow.session.exec(query)).one()
    return int(current or 0) + 1


async def submit_result(uow: UnitOfWork, principal: Principal, result: ResultIn, base: str) -> Answer:
    """Record a unit's result on its assignment; a correction becomes the next version."""
    if not principal.may_act_for(result.unit):
        raise Refused(403, "Khóa truy cập này không được báo cáo kết quả thay cho đơn vị khác.")
    if result.status == "hoan_thanh" and result.completed_on is None:
        raise Refused(422, "Nhiệm vụ đã hoàn thành thì phải có ngày hoàn thành (completed_on).")
    version = await _next_version(uow, ResultRecord, assignment_id=result.assignment_id, unit=result.unit)
    result_id = str(uuid.uuid4())
    now = _now()
    uow.session.add(
        ResultRecord(
            id=result_id,
            assignment_id=result.assignment_id,
            unit=result.unit,
            version=version,
            content=result.model_dump(mode="json"),
            submitted_by=principal.key_id,
            submitted_at=now,
        )
    )
    uow.emit(
        ResultSubmitted(result_id=result_id, version=version, submitted_at=now, **result.model_dump()),
        key=result.assignment_id,
        subject=result.assignment_id,
    )
    return (
        202,
        {"id": result_id, "status": "accepted", "version": version, "link": f"{base}/results/{result_id}"},
        result.assignment_id,
    )


async def submit_report(uow: UnitOfWork, principal: Principal, report: ReportIn, base: str) -> Answer:
    """Record a unit's periodic report (and the task results it carries)."""
    if not principal.may_act_for(report.unit):
        raise Refused(403, "Khóa truy cập này không được gửi báo cáo thay cho đơn vị khác.")
    for item in report.results:
        if not principal.may_act_for(item.unit):
            raise Refused(403, "Báo cáo chứa kết quả của đơn vị khác; mỗi đơn vị chỉ báo cáo phần của mình.")
    version = await _next_version(
        uow, ReportRecord, unit=report.unit, period_id=report.period_id, plan_id=report.plan_id
    )
    report_id = str(uuid.uuid4())
    now = _now()
    uow.session.add(
        ReportRecord(
            id=report_id,
            unit=report.unit,
            period_id=report.period_id,
            plan_id=report.plan_id,
            version=version,
            content=report.model_dump(mode="json"),
            submitted_by=principal.key_id,
            submitted_at=now,
        )
    )
    for item in report.results:
        await submit_result(uow, principal, item, base)
    uow.emit(
        ReportSubmitted(
            report_id=report_id,
            unit=report.unit,
            period_id=report.period_id,
            version=version,
            plan_id=report.plan_id,
            narrative=report.narrative,
            difficulties=report.difficulties,
            proposals=report.proposals,
            submitted_at=now,
        ),
        key=report.unit,
        subject=report.unit,
    )
    return (
        202,
        {"id": report_id, "status": "accepted", "version": version, "link": f"{base}/reports/{report_id}"},
        f"{report.unit}/{report.period_id}",
    )

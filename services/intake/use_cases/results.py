"""Intake's result and report use cases (plans: `plans.py`); events leave through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func
from sqlmodel import col, select

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.kernel.ids import time_ordered_id
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid, NotYourUnit, OthersResults
from dondoc.platform.uow import UnitOfWork
from services.intake.models import ReportRecord, ResultRecord
from services.intake.schemas import ReportIn, ResultIn
from services.intake.use_cases.admission import REPLICA_GRACE, admit_report, admit_result
from shared.events import ReportSubmitted, ResultSubmitted, Sender


def _now() -> datetime:
    return SYSTEM_CLOCK.now()


@dataclass(frozen=True)
class Received:
    """A result or a report kept as its next version; `subject` is what it is about (the audit's target)."""

    kind: Literal["results", "reports"]
    id: str
    version: int
    subject: str


async def _next_version(
    uow: UnitOfWork, model: type[ResultRecord] | type[ReportRecord], **where: str | None
) -> int:
    query = select(func.max(model.version))
    for name, value in where.items():
        query = query.where(col(getattr(model, name)) == value)
    current = (await uow.session.exec(query)).one()
    return int(current or 0) + 1


_RESULT_VERSIONS = "results: versions taken"  # the unit of work's memo: assignment id → newest taken


def _next_result_version(uow: UnitOfWork, assignment_id: str, newest_kept: int) -> int:
    """One version sequence per assignment, whoever of the unit and its Văn phòng sends (ADR 0041).

    `newest_kept` is the newest version stored, as the admission read it (ADR 0118). The result's row is
    written when the transaction commits (`UnitOfWork.insert`), so a second result on the same assignment
    in one transaction (a report carrying both) counts from the first one's version.
    """
    taken: dict[str, int] = uow.memo(_RESULT_VERSIONS, dict)
    newest = taken.get(assignment_id, newest_kept)
    taken[assignment_id] = newest + 1
    return newest + 1


async def submit_result(
    uow: UnitOfWork,
    principal: Principal,
    result: ResultIn,
    sender: Sender | None = None,
    *,
    grace: timedelta = REPLICA_GRACE,
    at: str = "",
) -> Received:
    """Record a unit's result on its assignment; a correction becomes the next version.

    `sender` names the person when the result comes from the workspace (the audit already names them);
    `grace` is how long the replica of tasks may trail a plan confirmed here (ADR 0030); `at` prefixes the
    fields a refusal names (a result inside a report).
    """
    if not principal.may_act_for(result.unit):
        raise NotYourUnit(NotYourUnit.SEND_RESULT)
    if result.status == "hoan_thanh" and result.completed_on is None:
        raise Invalid("Nhiệm vụ đã hoàn thành thì phải có ngày hoàn thành (completed_on).")
    assignee = await admit_result(uow, principal, result, grace, at)
    version = _next_result_version(uow, result.assignment_id, assignee.newest_result)
    result_id = time_ordered_id()  # sorts by time: new rows append to the results' key indexes (ADR 0125)
    now = _now()
    uow.insert(
        ResultRecord,
        id=result_id,
        assignment_id=result.assignment_id,
        unit=result.unit,
        version=version,
        content=result.model_dump(mode="json"),
        submitted_by=principal.key_id,
        submitted_at=now,
    )
    uow.emit(
        ResultSubmitted(
            result_id=result_id, version=version, submitted_at=now, submitted_by=sender, **result.model_dump()
        ),
        key=result.assignment_id,
        subject=result.assignment_id,
    )
    return Received("results", result_id, version, result.assignment_id)


async def submit_report(
    uow: UnitOfWork,
    principal: Principal,
    report: ReportIn,
    sender: Sender | None = None,
    *,
    grace: timedelta = REPLICA_GRACE,
) -> Received:
    """Record a unit's periodic report (and the task results it carries)."""
    if not principal.may_act_for(report.unit):
        raise NotYourUnit(NotYourUnit.SEND_REPORT)
    for item in report.results:
        if not principal.may_act_for(item.unit):
            raise OthersResults()
    await admit_report(uow, report, grace)
    version = await _next_version(
        uow, ReportRecord, unit=report.unit, period_id=report.period_id, plan_id=report.plan_id
    )
    report_id = time_ordered_id()
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
    for position, item in enumerate(report.results):
        await submit_result(uow, principal, item, sender, grace=grace, at=f"results.{position}.")
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
            submitted_by=sender,
        ),
        key=report.unit,
        subject=report.unit,
    )
    return Received("reports", report_id, version, f"{report.unit}/{report.period_id}")

"""Admitting a result or a report: the door's checks against the replica of tasks and intake's own plans.

Each refusal is a `Refused` (nothing stored, the refusal audited as refused) naming the field and what is
allowed. An assignment or a report owed that the replica may simply not hold yet — a plan confirmed here a
moment ago — gets 503 with Retry-After instead of a 404/422 that would be wrong a second later (ADR 0030).
"""

from __future__ import annotations

from datetime import timedelta

from dondoc.kernel.units import VAN_PHONG, ward_of
from dondoc.kernel.versions import may_report_on
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import (
    InvalidField,
    NotYetKnown,
    ReportNotOwed,
    UnknownAssignment,
    UnknownPlanId,
)
from dondoc.platform.uow import UnitOfWork
from services.intake import queries
from services.intake.queries import Assignee
from services.intake.schemas import ReportIn, ResultIn
from services.intake.use_cases.admissible import completed_on_problem, period_problem, vietnam_today

REPLICA_GRACE = timedelta(seconds=120)  # IntakeSettings.replica_grace_seconds, for callers without settings


async def admit_result(
    uow: UnitOfWork, principal: Principal, result: ResultIn, grace: timedelta, at: str = ""
) -> Assignee:
    """The assignment a result is on, if the result can take effect there; otherwise a refusal."""
    if (why := completed_on_problem(result.completed_on, vietnam_today())) is not None:
        raise InvalidField(f"{at}completed_on", why, "date_out_of_range")
    found = await queries.assignee(uow.session, result.assignment_id)
    # Another ward's assignment is "not found" to a ward: whether it exists is not the ward's to learn.
    if found is None or not (principal.is_admin or ward_of(found.unit) == ward_of(result.unit)):
        if await queries.assignments_may_lag(uow.session, grace):
            raise NotYetKnown()
        raise UnknownAssignment(f"{at}assignment_id")
    # The assigned unit or the ward's Văn phòng, not any other office (dondoc.kernel.versions, ADR 0041).
    if not may_report_on(result.unit, found.unit):
        raise InvalidField(
            f"{at}unit",
            f"Nhiệm vụ này được giao cho đơn vị {found.unit} ({found.unit_name}); kết quả phải do "
            f"chính đơn vị đó hoặc Văn phòng HĐND và UBND ({ward_of(found.unit)}.{VAN_PHONG}) báo cáo, "
            "không phải phòng, ban khác.",
            "wrong_unit",
        )
    return found


async def admit_report(uow: UnitOfWork, report: ReportIn, grace: timedelta) -> None:
    """A report is for a well-formed period the unit owes, on a plan that exists; otherwise a refusal."""
    session = uow.session
    if report.plan_id is not None and not await queries.plan_exists(session, report.plan_id):
        raise UnknownPlanId("plan_id")
    owed = await queries.periods_owed(session, report.unit, report.plan_id)
    scope = " theo kế hoạch này" if report.plan_id else ""
    allowed = (
        f"các kỳ đơn vị phải báo cáo{scope}: {', '.join(owed)}."
        if owed
        else f"hiện đơn vị không có kỳ báo cáo định kỳ nào phải nộp{scope}."
    )
    if (why := period_problem(report.period_id)) is not None:
        raise InvalidField("period_id", f"{why} Hiện {allowed}", "period_format")
    if report.period_id in owed:
        return
    if await queries.reports_owed_may_lag(session, grace, report.plan_id):
        raise NotYetKnown()
    raise ReportNotOwed(report.unit, report.period_id, scope, allowed)

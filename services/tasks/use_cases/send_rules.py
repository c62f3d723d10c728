"""The issuing unit sets when an obligation's reports must be sent (its own send-by rule)."""

from __future__ import annotations

from dataclasses import dataclass

from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid, ObligationNotIssued
from dondoc.platform.uow import UnitOfWork
from services.tasks.http.schemas import SendRuleIn
from services.tasks.models import Obligation, PlanCopy
from services.tasks.use_cases.obligations import custom_rule


@dataclass(frozen=True)
class SendRule:
    """An obligation's own send-by rule, as stored."""

    obligation_id: str
    send_rule: dict[str, object]


async def set_send_rule(
    uow: UnitOfWork, principal: Principal, obligation_id: str, body: SendRuleIn
) -> SendRule:
    """Store the rule (validated as a ReportingRule); the next tick computes deadlines with it."""
    row = await uow.session.get(Obligation, obligation_id)
    copy = await uow.session.get(PlanCopy, row.plan_id) if row else None
    if row is None or copy is None or not principal.may_act_for(copy.issuer_unit):
        raise ObligationNotIssued()
    if (body.working_days_after_cutoff is None) == (body.send_before_day is None):
        raise Invalid(
            "Hãy chọn đúng một cách tính hạn gửi: số ngày làm việc sau ngày chốt số liệu "
            "(working_days_after_cutoff) hoặc gửi trước ngày D (send_before_day).",
        )
    row.send_rule = body.model_dump()
    custom_rule(row)  # the domain's own checks, before anything is stored
    uow.session.add(row)
    return SendRule(obligation_id, row.send_rule)

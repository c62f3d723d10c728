"""Who may see and compile a plan's city-level figures, and who sees only their own unit."""

from __future__ import annotations

from dondoc.platform.auth import Principal
from services.reporting.models import PlanView


def recipients(plan: PlanView) -> set[str]:
    """Units the plan's reporting obligations send reports to (e.g. Sở Tư pháp)."""
    found: set[str] = set()
    obligations = plan.content.get("reporting", [])
    for obligation in obligations if isinstance(obligations, list) else []:
        recipient = obligation.get("recipient") if isinstance(obligation, dict) else None
        unit = recipient.get("unit") if isinstance(recipient, dict) else None
        if isinstance(unit, str):
            found.add(unit)
    return found


def may_compile(principal: Principal, plan: PlanView) -> bool:
    """The city administrator, the plan's issuer, and the body its reports go to (the compiler)."""
    if principal.is_admin:
        return True
    if plan.issuer_unit and principal.may_act_for(plan.issuer_unit):
        return True
    return principal.unit is not None and principal.unit in recipients(plan)

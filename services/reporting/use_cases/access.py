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


def may_compile(principal: Principal, plan: PlanView | None) -> bool:
    """The city administrator, the plan's issuer, and the body its reports go to (the compiler);
    the rule itself is the platform's (`Principal.may_compile`). No plan: the administrator only."""
    if plan is None:
        return principal.may_act_for(None)
    return principal.may_compile(plan.issuer_unit, recipients(plan))

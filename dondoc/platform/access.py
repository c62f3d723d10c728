"""Who may act: typed route dependencies, one mechanism each, each audited when it refuses a write.

* `AdminDep` (`dondoc.platform.app`): the city administrator, and no one else.
* `MayActFor(doing)`: the unit a path names is the caller's own or one of its offices
  (`Principal.may_act_for`); anyone else is refused `NotYourUnit(doing)`. A service names it once:
  `UnitCaller = Annotated[Principal, Depends(MayActFor(NotYourUnit.NOTIFICATIONS))]`.
* A service's object rule, such as reporting's `MayCompile` (the city administrator, the plan's issuer
  and the plan's report recipient: `Principal.may_compile`), is a dependency of the same shape, built
  with `refuse_caller` so that its refusal of a write is audited like any other.

A use case that learns the unit only from the body (a result's `unit`) checks the same rule with
`acts_for(principal, unit, doing)`.
"""

from __future__ import annotations

from fastapi import Request

from dondoc.platform.app import PrincipalDep, RuntimeDep, audit_refused_write
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import NotYourUnit, Refused
from dondoc.platform.runtime import Runtime


async def refuse_caller(
    request: Request, runtime: Runtime, principal: Principal, refused: Refused
) -> Refused:
    """The refusal to raise, audited first when the request was a write (a read's refusal is not)."""
    await audit_refused_write(request, runtime, principal, refused.status, refused.message)
    return refused


def acts_for(principal: Principal, unit: str, doing: str) -> None:
    """Refuse `NotYourUnit(doing)` unless the caller acts for `unit` (inside a use case: `write` audits)."""
    if not principal.may_act_for(unit):
        raise NotYourUnit(doing)


class MayActFor:
    """A route dependency: the caller acts for the unit named by the path parameter `parameter`."""

    def __init__(self, doing: str, parameter: str = "unit") -> None:
        self.doing = doing
        self.parameter = parameter

    async def __call__(self, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Principal:
        unit = request.path_params[self.parameter]
        if not principal.may_act_for(unit):
            raise await refuse_caller(request, runtime, principal, NotYourUnit(self.doing))
        return principal

"""Who may see which unit's pages, and the refusal a person of another unit gets (a 403 page, audited)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from dondoc.platform.audit import record_refused
from services.intake import directory_store
from services.intake.http.deps import holder_of
from services.intake.web.render import error
from services.intake.web.sessions import Visitor, runtime_of

OTHER_UNIT = (
    "Trang này thuộc đơn vị khác; bạn chỉ xem và làm việc của đơn vị mình và các phòng, ban trực thuộc."
)


def may_see(visitor: Visitor, unit: str) -> bool:
    """A person sees their unit and its offices; the city administrator sees every unit (the platform's
    one rule, `Principal.may_act_for`, as for a key)."""
    return visitor.principal.may_act_for(unit)


async def refuse(request: Request, visitor: Visitor, target: str, message: str = OTHER_UNIT) -> HTMLResponse:
    """The 403 page, and an audit record naming the person and what they tried to open."""
    runtime = runtime_of(request)
    action = f"workspace.{request.method.lower()}"
    await record_refused(
        runtime.engine, runtime.spec.tables, visitor.principal, action, target[:256], 403, message
    )
    return error(request, 403, message)


async def unit_name(request: Request, code: str | None) -> str:
    """A unit's name from the directory in force (its code when the directory does not know it)."""
    if code is None:
        return "Thành phố"
    async with runtime_of(request).uow() as uow:
        directory = await directory_store.current(uow, holder_of(request))
    found = directory.get(code)
    return found.name if found else code

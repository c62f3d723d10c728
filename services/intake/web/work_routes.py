"""The unit's work: every assignment of the unit (and its offices), grouped by plan, trouble first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dondoc.kernel.roles import ROLE_LABELS
from services.intake import queries
from services.intake.use_cases import approval
from services.intake.web import work
from services.intake.web.access import may_see, refuse, unit_name
from services.intake.web.reads import latest_sent, today
from services.intake.web.render import page
from services.intake.web.sessions import Signed, runtime_of, settings_of

router = APIRouter(include_in_schema=False)


@router.get("/workspace")
async def work_page(
    request: Request, visitor: Signed, status: str = "", role: str = "", due: str = "", unit: str = ""
) -> Response:
    """Việc của đơn vị: the filters are a plain GET form, so the page works with no script."""
    unit = unit.strip() or (visitor.person.unit or "")
    if unit and not may_see(visitor, unit):
        return await refuse(request, visitor, f"/workspace?unit={unit}")
    status = status if status in work.STATUS_FILTERS else ""
    role = role if role in ROLE_LABELS else ""
    due = due if due in work.DUE_FILTERS else ""
    day = today()
    lines: list[work.Line] = []
    waiting = 0  # what the leader's approval holds back (told on the leader's first page)
    if unit:
        async with runtime_of(request).uow() as uow:
            items = await queries.assignments_of(uow.session, unit)
            sent = await latest_sent(uow.session, [i.assignment_id for i in items])
            if visitor.is_leader and unit == visitor.person.unit:
                waiting = await approval.waiting_count(uow.session, unit)
        soon = settings_of(request).workspace_due_soon_days
        lines = [work.judge(i, sent.get(i.assignment_id), day, soon) for i in items]
    counts = {u: sum(1 for line in lines if line.urgency == u) for u in ("overdue", "soon", "returned")}
    shown = [line for line in lines if work.keep(line, status, role, due, day)]
    return page(
        request,
        "work.html",
        groups=work.group(shown),
        total=len(lines),
        shown=len(shown),
        counts=counts,
        waiting=waiting,
        chosen={"status": status, "role": role, "due": due, "unit": unit},
        unit_name=await unit_name(request, visitor.person.unit),
        viewed_name=await unit_name(request, unit) if unit else "",
        status_filters=work.STATUS_FILTERS,
        due_filters=work.DUE_FILTERS,
        role_labels=ROLE_LABELS,
    )

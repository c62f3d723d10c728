"""The unit's work: every assignment of the unit (and its offices), soonest trouble first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.intake.web.render import page
from services.intake.web.sessions import Signed

router = APIRouter(include_in_schema=False)


@router.get("/workspace")
async def work(request: Request, visitor: Signed) -> Response:
    return page(request, "work.html", groups=[])

"""The way from the workspace to the dashboard in reporting: a signed, one-minute hand-over (ADR 0091)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform import handover
from dondoc.platform.audit import record_accepted
from services.intake.web.render import HEADERS, error
from services.intake.web.sessions import Signed, runtime_of, settings_of

router = APIRouter(include_in_schema=False)
DASHBOARD = "/dashboard"
_NO_SECRET = (
    "Hệ thống chưa được cấu hình để đăng nhập bảng tổng hợp bằng tài khoản cá nhân "
    "(thiếu DASHBOARD_HANDOVER_SECRET). Hãy báo quản trị viên."
)


def dashboard_target(target: str | None) -> str:
    """Only a page of the dashboard is a place to hand over to (no open redirect)."""
    if target and target.startswith(DASHBOARD) and not target.startswith("//") and "\\" not in target:
        return target
    return DASHBOARD


@router.get("/workspace/dashboard")
async def to_dashboard(request: Request, visitor: Signed, next: str | None = None) -> Response:
    """Open the dashboard signed in as this person, on the page asked for (audited as a hand-over)."""
    settings = settings_of(request)
    secret = settings.dashboard_handover_secret or settings.dondoc_admin_token
    if not secret:
        return error(request, 503, _NO_SECRET)
    person = visitor.person
    token = handover.issue(
        secret,
        person.username,
        person.name,
        None if visitor.is_admin else person.unit,
        "admin" if visitor.is_admin else "unit",
        SYSTEM_CLOCK.now(),
    )
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        await record_accepted(uow.session, uow.tables, visitor.principal, "dashboard.handover", None, 303)
        await uow.commit()
    query = urlencode({"token": token, "next": dashboard_target(next)})
    location = f"{settings.reporting_public_url.rstrip('/')}{DASHBOARD}/handover?{query}"
    return RedirectResponse(location, 303, headers=HEADERS)

"""A person signs in to the dashboard through the workspace: intake's signed hand-over (ADR 0091)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform import handover
from dondoc.platform.audit import record_accepted, record_refused
from services.reporting.http.deps import runtime_of
from services.reporting.web.auth import open_session, safe_next, with_cookie
from services.reporting.web.render import HEADERS, error

router = APIRouter(include_in_schema=False)
_REFUSED = (
    "Liên kết đăng nhập này không hợp lệ, đã hết hạn (sau một phút) hoặc đã được dùng. "
    "Hãy mở lại bảng tổng hợp từ trang làm việc của bạn."
)


@router.get("/dashboard/handover")
async def handed_over(request: Request, token: str = "", next: str | None = None) -> Response:
    """Open a session for the person intake vouches for, then go to the page asked for."""
    runtime = runtime_of(request)
    settings = runtime.context.settings
    secret = settings.dashboard_handover_secret or settings.dondoc_admin_token
    claims = handover.verify(secret, token, SYSTEM_CLOCK.now()) if secret else None
    if claims is None:
        await record_refused(
            runtime.engine, runtime.spec.tables, None, "dashboard.handover", None, 403, _REFUSED
        )
        return error(request, 403, _REFUSED, "/dashboard/login")
    try:
        async with runtime.uow() as uow:
            key = handover.person_key(claims.username)[:64]
            hours = settings.dashboard_person_session_hours
            cookie = await open_session(uow.session, hours, key, claims)
            await record_accepted(uow.session, uow.tables, claims.principal, "dashboard.login", None, 303)
            await uow.commit()
    except IntegrityError:  # the nonce is taken: this token already opened a session
        await record_refused(
            runtime.engine, runtime.spec.tables, claims.principal, "dashboard.handover", None, 403, _REFUSED
        )
        return error(request, 403, _REFUSED, "/dashboard/login")
    return with_cookie(RedirectResponse(safe_next(next), 303, headers=HEADERS), cookie, request)

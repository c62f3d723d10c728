"""Signing in to the dashboard: an API key pasted once, then a session cookie a browser can carry.

The cookie holds a random token (HttpOnly, SameSite=Strict, Secure when configured); the store keeps only
its SHA-256 and the key it stands for. Every request checks the key again, so a revoked key stops working
at once. Forms carry a token derived from the session (CSRF), and their Origin (or Referer) must be ours.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import delete, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.platform import handover
from dondoc.platform.app import service_app
from dondoc.platform.audit import record_accepted, record_refused
from dondoc.platform.auth import BOOTSTRAP_ADMIN, Authenticator, Principal, hash_secret
from dondoc.platform.db import reading
from dondoc.platform.handover import PERSON_PREFIX
from dondoc.platform.refusals import StaleForm, message_of
from services.reporting import queries
from services.reporting.context import ReportingRuntime
from services.reporting.http.deps import runtime_of
from services.reporting.models import DashboardSession
from services.reporting.web.render import HEADERS, error, page

router = APIRouter(include_in_schema=False)
COOKIE = "dondoc_dashboard"
HOME = "/dashboard"
_STALE = message_of(StaleForm)


@dataclass(frozen=True)
class Form:
    """A posted form: its raw bytes (audited as the request) and its fields."""

    raw: bytes
    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default).strip()


def _runtime(request: Request) -> ReportingRuntime:
    return runtime_of(request)


def csrf_of(token: str) -> str:
    """The form token of a session: only whoever holds the cookie can know it."""
    return hmac.new(token.encode(), b"dashboard-form", hashlib.sha256).hexdigest()


def safe_next(target: str | None) -> str:
    """Only a dashboard page of this service is a place to return to (no open redirect)."""
    if target and target.startswith(HOME) and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def session_key(principal: Principal, admin_token: str | None) -> str:
    """What a session records of its key: the key id, or for the bootstrap token a digest of that token,
    so that rotating DONDOC_ADMIN_TOKEN ends every session opened with the old one."""
    if principal.key_id == BOOTSTRAP_ADMIN and admin_token:
        return f"{BOOTSTRAP_ADMIN}#{hash_secret(admin_token)[:16]}"
    return principal.key_id


async def _principal(runtime: ReportingRuntime, key_id: str) -> Principal | None:
    """The key a session stands for, if it still holds (not revoked, the same admin token configured)."""
    if key_id.startswith(BOOTSTRAP_ADMIN):
        admin = runtime.settings.dondoc_admin_token
        admin_principal = Principal(key_id=BOOTSTRAP_ADMIN, unit=None, role="admin")
        return admin_principal if admin and key_id == session_key(admin_principal, admin) else None
    t = runtime.spec.tables.credentials
    async with reading(runtime.engine) as conn:
        query = select(t.c.unit, t.c.role, t.c.revoked_at).where(t.c.key_id == key_id)
        row = (await conn.execute(query)).first()
    if row is None or (row.revoked_at is not None and as_utc(row.revoked_at) <= SYSTEM_CLOCK.now()):
        return None
    if not runtime.revocations.fresh():
        return None  # revocations unknown for too long: the key may have been revoked meanwhile (ADR 0032)
    return Principal(key_id=key_id, unit=row.unit, role=row.role)


async def current(request: Request) -> tuple[Principal, str] | None:
    """The signed-in principal and the session token, or None (a dead session is removed)."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 128:
        return None
    runtime = _runtime(request)
    async with runtime.uow() as uow:
        row = await uow.session.get(DashboardSession, hash_secret(token))
        if row is None:
            return None
        principal = None
        if as_utc(row.expires_at) > SYSTEM_CLOCK.now():
            principal = _person(row) or await _principal(runtime, row.key_id)
        if principal is None:
            await uow.session.delete(row)
            await uow.commit()
            return None
        request.state.person_name = row.person_name
    return principal, token


def _person(row: DashboardSession) -> Principal | None:
    """A person's session (handed over from the workspace): who they are was checked by intake."""
    if not row.key_id.startswith(PERSON_PREFIX):
        return None
    return Principal(key_id=row.key_id, unit=row.unit, role="admin" if row.role == "admin" else "unit")


async def signed_in(request: Request) -> Principal:
    """The dashboard's credential check: without a live session, the browser is sent to sign in."""
    found = await current(request)
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"{HOME}/login?next={quote(target, safe='/')}"
        raise HTTPException(303, "Hãy đăng nhập.", headers={"Location": location})
    principal, token = found
    if principal.key_id != BOOTSTRAP_ADMIN:
        wait = service_app(request).rate_limiter.acquire(principal.unit or principal.key_id)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise HTTPException(
                429, f"Quá nhiều yêu cầu; vui lòng thử lại sau {seconds} giây.", {"Retry-After": str(seconds)}
            )
    request.state.principal = principal
    request.state.csrf = csrf_of(token)
    request.state.viewer_name = await _viewer_name(request, principal)
    return principal


Viewer = Annotated[Principal, Depends(signed_in)]


async def _viewer_name(request: Request, principal: Principal) -> str:
    person = getattr(request.state, "person_name", None)
    if principal.unit is None:
        office = "Quản trị viên thành phố" if principal.is_admin else principal.key_id
    else:
        ctx = runtime_of(request).context
        async with _runtime(request).uow() as uow:
            office = queries.unit_of(await queries.directory(uow.session, ctx), principal.unit).name
    return f"{person} · {office}" if person else office


def _same_origin(request: Request) -> bool:
    """The form came from one of our pages: its Origin (or else Referer) names this service."""
    ours = {request.headers.get("host", ""), urlsplit(_runtime(request).settings.public_base_url).netloc}
    source = request.headers.get("origin") or request.headers.get("referer")
    return bool(source) and urlsplit(source).netloc in ours


async def read_form(request: Request, *, session: bool = True) -> Form | None:
    """A posted form from our own pages (and, when signed in, carrying the session's token), or None."""
    raw = await request.body()
    fields = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
    if not _same_origin(request):
        return None
    if session:
        expected = getattr(request.state, "csrf", "")
        if not expected or not hmac.compare_digest(fields.get("csrf", ""), expected):
            return None
    return Form(raw, fields)


def stale_form(request: Request) -> HTMLResponse:
    """The answer to a form that failed the CSRF checks."""
    return error(request, 403, _STALE)


def _intake_url(request: Request) -> str:
    """Where people sign in (their accounts live in intake's workspace, ADR 0091)."""
    return runtime_of(request).context.settings.intake_public_url.rstrip("/")


@router.get("/dashboard/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    if await current(request) is not None:
        return RedirectResponse(safe_next(next), 303)
    return page(request, "login.html", next=safe_next(next), failure=None, intake_url=_intake_url(request))


@router.post("/dashboard/login")
async def login(request: Request) -> Response:
    form = await read_form(request, session=False)
    if form is None:
        return stale_form(request)
    runtime = _runtime(request)
    ctx = runtime_of(request).context
    settings = ctx.settings
    authenticator = Authenticator(
        runtime.engine, runtime.spec.tables, settings.dondoc_admin_token, runtime.revocations.fresh
    )
    try:
        principal = await authenticator.authenticate(form.get("key") or None)
    except HTTPException as refused:
        await record_refused(
            runtime.engine, runtime.spec.tables, None, "dashboard.login", None, 401, str(refused.detail)
        )
        next_page = safe_next(form.get("next"))
        url = _intake_url(request)
        return page(request, "login.html", 401, next=next_page, failure=refused.detail, intake_url=url)
    async with runtime.uow() as uow:
        token = await open_session(
            uow.session,
            settings.dashboard_session_hours,
            session_key(principal, settings.dondoc_admin_token),
        )
        await record_accepted(uow.session, uow.tables, principal, "dashboard.login", None, 303)
        await uow.commit()
    return with_cookie(RedirectResponse(safe_next(form.get("next")), 303, headers=HEADERS), token, request)


async def open_session(
    session: AsyncSession, hours: float, key_id: str, person: handover.Handover | None = None
) -> str:
    """Store a new session lasting `hours` (for a key, or a person handed over), sweeping expired ones;
    the cookie's token."""
    token = secrets.token_urlsafe(32)
    now = SYSTEM_CLOCK.now()
    await session.execute(delete(DashboardSession).where(col(DashboardSession.expires_at) < now))
    session.add(
        DashboardSession(
            token_hash=hash_secret(token),
            key_id=key_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            person_name=person.name[:200] if person else None,
            unit=person.unit if person else None,
            role=person.role if person else None,
            handover_nonce=person.nonce[:64] if person else None,
        )
    )
    return token


def with_cookie(answer: Response, token: str, request: Request) -> Response:
    """The session's cookie on an answer (the cookie lives no longer than the longest session)."""
    settings = runtime_of(request).context.settings
    answer.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.dashboard_session_hours * 3600),
        path=HOME,
        httponly=True,
        samesite="strict",
        secure=settings.dashboard_secure_cookie,
    )
    return answer


@router.post("/dashboard/logout")
async def logout(request: Request) -> Response:
    found = await current(request)
    if found is not None:
        request.state.csrf = csrf_of(found[1])
        if await read_form(request) is None:
            return stale_form(request)
        async with _runtime(request).uow() as uow:
            row = await uow.session.get(DashboardSession, hash_secret(found[1]))
            if row is not None:
                await uow.session.delete(row)
                await record_accepted(uow.session, uow.tables, found[0], "dashboard.logout", None, 303)
                await uow.commit()
    answer = RedirectResponse(f"{HOME}/login", 303, headers=HEADERS)
    ctx = runtime_of(request).context
    answer.delete_cookie(
        COOKIE, path=HOME, httponly=True, samesite="strict", secure=ctx.settings.dashboard_secure_cookie
    )
    return answer

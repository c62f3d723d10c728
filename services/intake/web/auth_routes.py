"""Signing in and out, and changing one's password; each of them audited with the person."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from dondoc.kernel.clock import SYSTEM_CLOCK, VIETNAM
from dondoc.platform.audit import record_accepted, record_refused
from dondoc.platform.refusals import StaleForm, message_of
from services.intake.models import Person
from services.intake.use_cases import people
from services.intake.web.forms import read_form
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import (
    HOME,
    SignedAny,
    close_cookie,
    current,
    open_session,
    runtime_of,
    safe_next,
    settings_of,
    throttle,
)

router = APIRouter(include_in_schema=False)
_STALE = message_of(StaleForm)
_WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
_DISABLED = "Tài khoản này đã bị khóa. Hãy liên hệ lãnh đạo đơn vị hoặc quản trị viên thành phố."


def _locked(until: datetime | None) -> str:
    at = (until or SYSTEM_CLOCK.now()).astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")
    return (
        "Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần. "
        f"Hãy thử lại sau {at}, hoặc nhờ lãnh đạo đơn vị hay quản trị viên đặt lại mật khẩu."
    )


@router.get("/workspace/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    if await current(request) is not None:
        return RedirectResponse(safe_next(next), 303, headers=HEADERS)
    return page(request, "login.html", next=safe_next(next), failure=None, username="")


@router.post("/workspace/login")
async def login(request: Request) -> Response:
    form = await read_form(request, None)
    if form is None:
        return error(request, 403, _STALE, "/workspace/login")
    runtime, settings = runtime_of(request), settings_of(request)
    # Lock-out guards one account; this guards against trying many accounts from one place.
    try:
        throttle(request, f"login:{request.client.host if request.client else '-'}")
    except HTTPException as refused:
        tables = runtime.spec.tables
        await record_refused(runtime.engine, tables, None, "workspace.login", None, 429, str(refused.detail))
        raise
    username = form.get("username")[:40]
    async with runtime.uow() as uow:
        outcome = await people.sign_in(uow, settings, username, form.fields.get("password", ""))
        principal = people.principal_of(outcome.person) if outcome.person else None
        if outcome.failure is None and principal is not None:
            await record_accepted(uow.session, uow.tables, principal, "workspace.login", username, 303)
        await uow.commit()
    target = safe_next(form.get("next"))
    if outcome.failure is not None or outcome.person is None:
        message = {"wrong": _WRONG, "disabled": _DISABLED}.get(outcome.failure or "", "")
        message = message or _locked(outcome.locked_until)
        detail = f"{outcome.failure}: {username}"
        await record_refused(
            runtime.engine, runtime.spec.tables, principal, "workspace.login", username, 401, detail
        )
        return page(request, "login.html", 401, next=target, failure=message, username=username)
    if outcome.person.must_change:
        target = f"{HOME}/password?next={quote(target, safe='/')}"  # the page's own query kept whole
    answer = RedirectResponse(target, 303, headers=HEADERS)
    await open_session(runtime, settings, outcome.person.username, answer)
    return answer


@router.post("/workspace/logout")
async def logout(request: Request) -> Response:
    visitor = await current(request)
    if visitor is not None:
        if await read_form(request, visitor) is None:
            return error(request, 403, _STALE)
        async with runtime_of(request).uow() as uow:
            await people.end_sessions(uow, visitor.person, "logout")
            await record_accepted(uow.session, uow.tables, visitor.principal, "workspace.logout", None, 303)
            await uow.commit()
    answer = RedirectResponse(f"{HOME}/login", 303, headers=HEADERS)
    close_cookie(answer, settings_of(request))
    return answer


@router.get("/workspace/password")
async def password_page(request: Request, visitor: SignedAny, next: str | None = None) -> Response:
    return page(request, "password.html", next=safe_next(next), errors={}, done=False)


@router.post("/workspace/password")
async def change_password(request: Request, visitor: SignedAny) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE)
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        person = await uow.session.get(Person, visitor.person.username)
        assert person is not None  # the session was just read with it
        errors = await people.change_password(
            uow,
            person,
            form.fields.get("current", ""),
            form.fields.get("new", ""),
            form.fields.get("confirm", ""),
            visitor.token_hash,
        )
        if not errors:
            await record_accepted(uow.session, uow.tables, visitor.principal, "workspace.password", None, 303)
            await uow.commit()
    if errors:
        detail = "; ".join(errors.values())
        await record_refused(
            runtime.engine, runtime.spec.tables, visitor.principal, "workspace.password", None, 422, detail
        )
        return page(
            request, "password.html", 422, next=safe_next(form.get("next")), errors=errors, done=False
        )
    return RedirectResponse(safe_next(form.get("next")), 303, headers=HEADERS)

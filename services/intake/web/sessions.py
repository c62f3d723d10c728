"""Workspace sessions: a random token in an HttpOnly cookie, its hash stored, the person re-read each time.

SameSite=Lax rather than Strict: a notice's link opened from an e-mail must arrive signed in; every
state-changing request is a POST that carries the session's form token and must come from our origin.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import delete
from sqlmodel import col

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.app import service_app
from dondoc.platform.auth import Principal, hash_secret
from services.intake.context import IntakeRuntime
from services.intake.http import deps
from services.intake.models import Person, PersonSession
from services.intake.settings import IntakeSettings
from services.intake.use_cases.people import aware, principal_of

COOKIE = "dondoc_workspace"
HOME = "/workspace"


def runtime_of(request: Request) -> IntakeRuntime:
    """This app's runtime, typed as intake's (the pages read it where they need it)."""
    return deps.runtime_of(request)


def settings_of(request: Request) -> IntakeSettings:
    return runtime_of(request).settings


def csrf_of(token: str) -> str:
    """The form token of a session: only whoever holds the cookie can know it."""
    return hmac.new(token.encode(), b"workspace-form", hashlib.sha256).hexdigest()


def safe_next(target: str | None) -> str:
    """Only a workspace page of this service is a place to return to (no open redirect)."""
    if target and target.startswith(HOME) and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


@dataclass(frozen=True)
class Visitor:
    """A signed-in person, as the workspace's pages and write paths see them."""

    person: Person
    principal: Principal
    token_hash: str
    csrf: str

    @property
    def is_admin(self) -> bool:
        return self.person.role == "admin"

    @property
    def is_leader(self) -> bool:
        return self.person.role == "leader"


async def open_session(
    runtime: IntakeRuntime, settings: IntakeSettings, username: str, answer: Response
) -> None:
    """Store a new session (expired ones are swept) and set its cookie on `answer`."""
    token = secrets.token_urlsafe(32)
    moment = SYSTEM_CLOCK.now()
    hours = settings.workspace_session_hours
    async with runtime.uow() as uow:
        await uow.session.execute(delete(PersonSession).where(col(PersonSession.expires_at) < moment))
        uow.session.add(
            PersonSession(
                token_hash=hash_secret(token),
                username=username,
                created_at=moment,
                expires_at=moment + timedelta(hours=hours),
            )
        )
        await uow.commit()
    answer.set_cookie(
        COOKIE,
        token,
        max_age=int(hours * 3600),
        path=HOME,
        httponly=True,
        samesite="lax",
        secure=settings.workspace_secure_cookie,
    )


def close_cookie(answer: Response, settings: IntakeSettings) -> None:
    answer.delete_cookie(
        COOKIE, path=HOME, httponly=True, samesite="lax", secure=settings.workspace_secure_cookie
    )


async def current(request: Request) -> Visitor | None:
    """The signed-in person, or None: an expired session or a disabled person ends it."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 128:
        return None
    digest = hash_secret(token)
    async with runtime_of(request).uow() as uow:
        row = await uow.session.get(PersonSession, digest)
        if row is None:
            return None
        person = await uow.session.get(Person, row.username)
        live = (aware(row.expires_at) or SYSTEM_CLOCK.now()) > SYSTEM_CLOCK.now()
        if person is None or person.disabled_at is not None or not live:
            await uow.session.delete(row)
            await uow.commit()
            return None
        uow.session.expunge(person)
    return Visitor(person, principal_of(person), digest, csrf_of(token))


def _sign_in_first(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"{HOME}/login?next={quote(target, safe='/')}"
    return HTTPException(303, "Hãy đăng nhập.", headers={"Location": location})


def throttle(request: Request, caller: str) -> None:
    """The service's per-caller rate limit (the same as for keys): a 429 with Retry-After when exceeded."""
    wait = service_app(request).rate_limiter.acquire(caller)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        message = f"Quá nhiều yêu cầu trong thời gian ngắn; vui lòng thử lại sau {seconds} giây."
        raise HTTPException(429, message, headers={"Retry-After": str(seconds)})


async def signed_in_any(request: Request) -> Visitor:
    """A live session, even one that must still change its password (the change page itself)."""
    visitor = await current(request)
    if visitor is None:
        raise _sign_in_first(request)
    if not visitor.is_admin:
        throttle(request, visitor.person.unit or visitor.principal.key_id)
    request.state.visitor = visitor
    request.state.principal = visitor.principal  # a refused 422 is audited with the person
    return visitor


async def signed_in(request: Request, visitor: Annotated[Visitor, Depends(signed_in_any)]) -> Visitor:
    """A live session whose person has chosen their own password (otherwise: the change page first)."""
    if visitor.person.must_change:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"{HOME}/password?next={quote(safe_next(target), safe='/')}"
        raise HTTPException(303, "Hãy đổi mật khẩu.", headers={"Location": location})
    return visitor


Signed = Annotated[Visitor, Depends(signed_in)]
SignedAny = Annotated[Visitor, Depends(signed_in_any)]


def same_origin(request: Request) -> bool:
    """The form came from one of our pages: its Origin (or else Referer) names this service."""
    ours = {request.headers.get("host", ""), urlsplit(settings_of(request).public_base_url).netloc}
    source = request.headers.get("origin") or request.headers.get("referer")
    return bool(source) and urlsplit(source).netloc in ours

"""Managing people in the browser: the city admin manages everyone, a unit's leader their own unit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from dondoc.platform.audit import record_refused
from dondoc.platform.idempotency import Answer
from dondoc.platform.refusals import StaleForm, message_of
from dondoc.platform.uow import UnitOfWork
from services.intake import directory_store
from services.intake.http.deps import holder_of
from services.intake.use_cases import inbox_keys, people
from services.intake.web.forms import Form, read_form, writer
from services.intake.web.render import HEADERS, error, page
from services.intake.web.sessions import Signed, Visitor, runtime_of, settings_of

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
_STALE = message_of(StaleForm)
_ONLY = "Chỉ lãnh đạo đơn vị hoặc quản trị viên thành phố được quản lý người dùng."


def _manager(visitor: Visitor) -> bool:
    return visitor.is_admin or visitor.is_leader


async def _listing(request: Request, visitor: Visitor, status: int = 200, **extra: object) -> Response:
    async with runtime_of(request).uow() as uow:
        found = await people.people_of(uow, None if visitor.is_admin else visitor.person.unit)
        directory = await directory_store.current(uow, holder_of(request))
        for person in found:
            uow.session.expunge(person)
    names = {p.unit: (u.name if (u := directory.get(p.unit)) else p.unit) for p in found if p.unit}
    context: dict[str, object] = {"people": found, "names": names, "errors": {}, "typed": {}, "created": None}
    context.update(extra)
    return page(request, "people.html", status, **context)


@router.get("/workspace/people")
async def people_page(request: Request, visitor: Signed) -> Response:
    if not _manager(visitor):
        return await _refuse(request, visitor, "/workspace/people")
    return await _listing(request, visitor)


async def _refuse(request: Request, visitor: Visitor, target: str) -> Response:
    runtime = runtime_of(request)
    tables = runtime.spec.tables
    await record_refused(runtime.engine, tables, visitor.principal, "workspace.view", target, 403, _ONLY)
    return error(request, 403, _ONLY)


async def _run(
    request: Request, visitor: Visitor, action: str, form: Form, change: Callable[[UnitOfWork], Awaitable[T]]
) -> T | str:
    """Run one change through intake's write path (audited with the person): its value, or the refusal's
    message."""
    try:
        written = await writer(request, visitor, form).perform(action, _changed, change)
    except HTTPException as refused:
        return str(refused.detail)
    assert written.value is not None  # a page's change carries no Idempotency-Key: nothing is replayed
    return written.value


def _changed(done: object) -> Answer:
    """A person created, reset, disabled or enabled (the page shows the outcome)."""
    if isinstance(done, people.NewPerson):
        person = done.person
        return 201, {"username": person.username, "unit": person.unit, "role": person.role}, person.username
    assert isinstance(done, PersonChange)
    return 200, {"username": done.username, "change": done.change}, done.username


@dataclass(frozen=True)
class PersonChange:
    username: str
    change: str


@router.post("/workspace/people")
async def create(request: Request, visitor: Signed) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE)
    if not _manager(visitor):
        return await _refuse(request, visitor, "/workspace/people")
    unit = form.get("unit") if visitor.is_admin else form.get("unit") or visitor.person.unit
    role = form.get("role")

    async def create_person(uow: UnitOfWork) -> people.NewPerson:
        directory = await directory_store.current(uow, holder_of(request))
        actor = visitor.principal if visitor.is_admin else visitor.person
        new = await people.create_person(
            uow, directory, actor, form.get("username"), form.get("name"), unit, role
        )
        if new.person.unit:
            await inbox_keys.ensure(uow, settings_of(request), new.person.unit)
        return new

    made = await _run(request, visitor, "person.create", form, create_person)
    if isinstance(made, str):
        refused = made
        typed = {k: form.get(k) for k in ("username", "name", "unit", "role")}
        field = "username" if "đăng nhập" in refused else "unit" if "đơn vị" in refused else "name"
        field = "role" if "Vai trò" in refused else field
        return await _listing(request, visitor, 422, errors={field: refused}, typed=typed)
    return await _listing(request, visitor, 201, created=made)


@router.post("/workspace/people/{username}/{change}")
async def change(request: Request, username: str, change: str, visitor: Signed) -> Response:
    form = await read_form(request, visitor)
    if form is None:
        return error(request, 403, _STALE)
    if not _manager(visitor) or change not in ("reset", "disable", "enable"):
        return await _refuse(request, visitor, f"/workspace/people/{username}")
    actor = visitor.principal if visitor.is_admin else visitor.person

    async def change_person(uow: UnitOfWork) -> people.NewPerson | PersonChange:
        if change == "reset":
            return await people.reset_password(uow, actor, username)
        await people.set_disabled(uow, actor, username, change == "disable")
        return PersonChange(username, change)

    done = await _run(request, visitor, f"person.{change}", form, change_person)
    if isinstance(done, str):
        return error(request, 403 if "đơn vị mình" in done else 422, done, "/workspace/people")
    if isinstance(done, people.NewPerson):
        return await _listing(request, visitor, created=done, reset=True)
    return RedirectResponse("/workspace/people", 303, headers=HEADERS)

"""People's use cases: create, sign in (with lock-out), change or reset a password, disable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete
from sqlmodel import col, select

from dondoc.directory import Directory
from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.kernel.units import within
from dondoc.platform.auth import Principal, Role
from dondoc.platform.refusals import Invalid, NotYourPeople, PersonNotFound, UnknownUnit, UsernameTaken
from dondoc.platform.uow import UnitOfWork
from services.intake.domain import passwords
from services.intake.models import Person, PersonSession
from services.intake.settings import IntakeSettings
from shared.events import PersonSignedOut

PersonRole = Literal["officer", "leader", "admin"]
ROLES: dict[str, str] = {
    "officer": "Chuyên viên",
    "leader": "Lãnh đạo đơn vị",
    "admin": "Quản trị viên thành phố",
}
PERSON_PREFIX = "person:"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def now() -> datetime:
    return SYSTEM_CLOCK.now()


def aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


def principal_of(person: Person) -> Principal:
    """The person as every write path knows callers: the audit trail names them `person:<username>`."""
    role: Role = "admin" if person.role == "admin" else "unit"
    return Principal(key_id=f"{PERSON_PREFIX}{person.username}", unit=person.unit, role=role)


def may_manage(actor: Person | Principal, unit: str | None, role: str) -> bool:
    """A city administrator manages everyone; a leader manages officers and leaders of their own unit."""
    if isinstance(actor, Principal):
        return actor.is_admin
    if actor.role == "admin":
        return True
    return actor.role == "leader" and role != "admin" and unit is not None and within(unit, actor.unit or "")


@dataclass(frozen=True)
class NewPerson:
    """A person just created or reset: the temporary password is shown once and never stored."""

    person: Person
    password: str


async def create_person(
    uow: UnitOfWork,
    directory: Directory,
    actor: Person | Principal,
    username: str,
    name: str,
    unit: str | None,
    role: str,
) -> NewPerson:
    """Create a person with a temporary password they must change at first sign-in."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise Invalid("Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang.")
    if role not in ROLES:
        raise Invalid("Vai trò phải là chuyên viên, lãnh đạo đơn vị hoặc quản trị viên thành phố.")
    if not name.strip() or len(name) > 200:
        raise Invalid("Hãy nhập họ và tên (tối đa 200 ký tự).")
    unit = (unit or "").strip() or None
    if role == "admin":
        unit = None
    elif unit is None or (found := directory.get(unit)) is None or not found.active:
        raise UnknownUnit(unit or "")
    if not may_manage(actor, unit, role):
        raise NotYourPeople()
    if await uow.session.get(Person, username) is not None:
        raise UsernameTaken(username)
    password = passwords.temporary_password()
    moment = now()
    actor_id = actor.key_id if isinstance(actor, Principal) else f"{PERSON_PREFIX}{actor.username}"
    person = Person(
        username=username,
        name=name.strip(),
        unit=unit,
        role=role,
        password_hash=passwords.hash_password(password),
        must_change=True,
        created_by=actor_id,
        created_at=moment,
        password_changed_at=moment,
    )
    uow.session.add(person)
    return NewPerson(person, password)


SignInFailure = Literal["wrong", "locked", "disabled"]


@dataclass(frozen=True)
class SignIn:
    person: Person | None
    failure: SignInFailure | None = None
    locked_until: datetime | None = None


async def sign_in(uow: UnitOfWork, settings: IntakeSettings, username: str, password: str) -> SignIn:
    """Check a password; count failures in a row and lock the account when they reach the limit."""
    person = await uow.session.get(Person, username.strip().lower()[:40])
    moment = now()
    if person is None:
        passwords.verify(None, password)
        return SignIn(None, "wrong")
    locked = aware(person.locked_until)
    if locked is not None and locked > moment:
        return SignIn(person, "locked", locked)
    if not passwords.verify(person.password_hash, password):
        person.failed += 1
        if person.failed >= settings.workspace_lockout_failures:
            person.locked_until = moment + timedelta(minutes=settings.workspace_lockout_minutes)
            person.failed = 0
            uow.session.add(person)
            return SignIn(person, "locked", person.locked_until)
        uow.session.add(person)
        return SignIn(person, "wrong")
    if person.disabled_at is not None:
        return SignIn(person, "disabled")
    person.failed = 0
    person.locked_until = None
    if passwords.needs_rehash(person.password_hash):
        person.password_hash = passwords.hash_password(password)
    uow.session.add(person)
    return SignIn(person)


SignOutReason = Literal["logout", "password_changed", "password_reset", "disabled"]


async def end_sessions(
    uow: UnitOfWork, person: Person, reason: SignOutReason, keep: str | None = None
) -> None:
    """Sign the person out everywhere (but the workspace session `keep`, the one changing its own password):
    the workspace's sessions here, and the dashboard's, which reporting opened on intake's word (ADR 0092)."""
    query = delete(PersonSession).where(col(PersonSession.username) == person.username)
    if keep is not None:
        query = query.where(col(PersonSession.token_hash) != keep)
    await uow.session.execute(query)
    signed_out = PersonSignedOut(username=person.username, unit=person.unit, reason=reason, at=now())
    uow.emit(signed_out, key=person.username, subject=person.unit)


async def change_password(
    uow: UnitOfWork, person: Person, current: str, new: str, confirm: str, session_hash: str
) -> dict[str, str]:
    """Set the person's own password; answers the errors by field (empty when changed)."""
    errors: dict[str, str] = {}
    if not passwords.verify(person.password_hash, current):
        errors["current"] = "Mật khẩu hiện tại không đúng."
    if problem := passwords.weakness(new, person.username):
        errors["new"] = problem
    elif passwords.verify(person.password_hash, new):
        errors["new"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
    if new != confirm:
        errors["confirm"] = "Nhập lại mật khẩu mới chưa khớp."
    if errors:
        return errors
    person.password_hash = passwords.hash_password(new)
    person.must_change = False
    person.password_changed_at = now()
    uow.session.add(person)
    await end_sessions(uow, person, "password_changed", keep=session_hash)
    return {}


async def reset_password(uow: UnitOfWork, actor: Person | Principal, username: str) -> NewPerson:
    """A new temporary password (to change at next sign-in); unlocks and signs the person out everywhere."""
    person = await _managed(uow, actor, username)
    password = passwords.temporary_password()
    person.password_hash = passwords.hash_password(password)
    person.must_change = True
    person.failed = 0
    person.locked_until = None
    person.password_changed_at = now()
    uow.session.add(person)
    await end_sessions(uow, person, "password_reset")
    return NewPerson(person, password)


async def set_disabled(uow: UnitOfWork, actor: Person | Principal, username: str, disabled: bool) -> Person:
    """Disable (signing the person out at once) or enable an account; nothing is deleted."""
    person = await _managed(uow, actor, username)
    if isinstance(actor, Person) and actor.username == person.username:
        raise Invalid("Bạn không thể tự khóa tài khoản của mình.")
    person.disabled_at = now() if disabled else None
    uow.session.add(person)
    if disabled:
        await end_sessions(uow, person, "disabled")
    return person


async def _managed(uow: UnitOfWork, actor: Person | Principal, username: str) -> Person:
    person = await uow.session.get(Person, username)
    if person is None:
        raise PersonNotFound(username)
    if not may_manage(actor, person.unit, person.role):
        raise NotYourPeople()
    return person


async def people_of(uow: UnitOfWork, unit: str | None) -> list[Person]:
    """Everyone (unit None) or the people of a unit and its offices, by unit then name."""
    query = select(Person).order_by(col(Person.unit), col(Person.username))
    rows = list((await uow.session.exec(query)).all())
    return rows if unit is None else [p for p in rows if p.unit is not None and within(p.unit, unit)]

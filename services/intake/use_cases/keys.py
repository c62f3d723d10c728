"""API keys: intake issues and revokes them; every change leaves as `credential.changed` (hash only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from dondoc.directory import Directory
from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.auth import Role, issue_key
from dondoc.platform.refusals import Invalid, KeyNotFound, UnknownUnit
from dondoc.platform.uow import UnitOfWork
from shared.events import CredentialChanged


@dataclass(frozen=True)
class NewKey:
    """A freshly issued key: the token is shown once and never stored."""

    key_id: str
    token: str
    unit: str | None
    role: Role
    label: str | None


async def create_key(
    uow: UnitOfWork, directory: Directory, unit: str | None, role: Role, label: str | None
) -> NewKey:
    """Issue a key for a unit of the directory (admins may have no unit); caller commits."""
    if role == "unit" and not unit:
        raise Invalid("Khóa của đơn vị phải có mã đơn vị (--unit).")
    if unit is not None:
        found = directory.get(unit)
        if found is None or not found.active:
            raise UnknownUnit(unit)
    issued = issue_key()
    now = SYSTEM_CLOCK.now()
    values = {
        "key_id": issued.key_id,
        "unit": unit,
        "role": role,
        "secret_hash": issued.secret_hash,
        "label": label,
        "created_at": now,
        "revoked_at": None,
    }
    await uow.session.execute(insert(uow.tables.credentials).values(values))
    uow.emit(CredentialChanged.model_validate(values), key=issued.key_id, subject=unit or "admin")
    return NewKey(issued.key_id, issued.token, unit, role, label)


async def revoke_key(uow: UnitOfWork, key_id: str) -> dict[str, object]:
    """Revoke a key now (kept for the audit trail); caller commits. Revoking twice changes nothing."""
    table = uow.tables.credentials
    row = (await uow.session.execute(select(table).where(table.c.key_id == key_id))).mappings().first()
    if row is None:
        raise KeyNotFound(key_id)
    values = dict(row)
    if values["revoked_at"] is None:
        values["revoked_at"] = SYSTEM_CLOCK.now()
        await uow.session.execute(
            update(table).where(table.c.key_id == key_id).values(revoked_at=values["revoked_at"])
        )
        uow.emit(CredentialChanged.model_validate(values), key=key_id, subject=str(values["unit"] or "admin"))
    return public(values)


def public(row: dict[str, object]) -> dict[str, object]:
    """A key as listings show it: never the hash."""
    return {k: v for k, v in row.items() if k != "secret_hash"}


async def list_keys(uow: UnitOfWork, unit: str | None = None) -> list[dict[str, object]]:
    """Every key (optionally of one unit), newest first, without hashes."""
    table = uow.tables.credentials
    query = select(table).order_by(table.c.created_at.desc())
    if unit:
        query = query.where(table.c.unit == unit)
    rows = (await uow.session.execute(query)).mappings().all()
    return [public(dict(r)) for r in rows]

"""Keeping every service's copy of the API keys current from `credential.changed` (hashes only)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import delete, insert, select

from dondoc.platform.subscriptions import Subscriptions
from dondoc.platform.uow import UnitOfWork
from shared.events import CredentialChanged

C = TypeVar("C")


async def on_credential_changed(uow: UnitOfWork, event: CredentialChanged, _ctx: object) -> None:
    """Upsert the key (a revocation is the same key with `revoked_at` set); a revocation is never undone.

    Intake's list of revoked keys (dondoc.platform.revocations) may have marked the key revoked before
    this older event arrives: the earliest revocation known stands.
    """
    table = uow.tables.credentials
    known = (
        await uow.session.execute(select(table.c.revoked_at).where(table.c.key_id == event.key_id))
    ).scalar_one_or_none()
    revoked_at = event.revoked_at or known
    await uow.session.execute(delete(table).where(table.c.key_id == event.key_id))
    await uow.session.execute(
        insert(table).values(
            key_id=event.key_id,
            unit=event.unit,
            role=event.role,
            secret_hash=event.secret_hash,
            label=event.label,
            created_at=event.created_at,
            revoked_at=revoked_at,
        )
    )


def with_credentials(subscriptions: Subscriptions[C]) -> Subscriptions[C]:
    """A service's own subscriptions plus the credential replica every non-issuing service keeps."""
    return Subscriptions[C]().include(subscriptions).on(CredentialChanged, on_credential_changed)

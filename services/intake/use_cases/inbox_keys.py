"""Each unit's inbox key: the credential the workspace shows notify when it reads a unit's inbox for a person.

The key is derived (HMAC of the unit under WORKSPACE_SECRET, else DONDOC_ADMIN_TOKEN), so intake never
stores it in clear; like any key it is issued into the credentials table and replicated to notify by
`credential.changed`, and it acts for that unit alone (docs/adr/0061).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlalchemy import insert, select, update

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.auth import TOKEN_PREFIX, hash_secret
from dondoc.platform.uow import UnitOfWork
from services.intake.settings import IntakeSettings
from shared.events import CredentialChanged

LABEL = "workspace-inbox"


def _seed(settings: IntakeSettings) -> bytes | None:
    secret = settings.workspace_secret or settings.dondoc_admin_token
    return secret.encode() if secret else None


def derive(settings: IntakeSettings, unit: str) -> tuple[str, str] | None:
    """(key id, bearer token) of the unit's inbox key; None when no secret is configured."""
    seed = _seed(settings)
    if seed is None:
        return None
    key_id = "ws" + hmac.new(seed, f"id:{unit}".encode(), hashlib.sha256).hexdigest()[:10]
    raw = hmac.new(seed, f"secret:{unit}".encode(), hashlib.sha256).digest()
    secret = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return key_id, f"{TOKEN_PREFIX}{key_id}_{secret}"


async def ensure(uow: UnitOfWork, settings: IntakeSettings, unit: str) -> bool:
    """Issue the unit's inbox key unless issued already (older ones of the unit are revoked); caller commits.

    Answers whether anything changed (the key then reaches notify once the outbox has sent it).
    """
    derived = derive(settings, unit)
    if derived is None:
        return False
    key_id, token = derived
    table = uow.tables.credentials
    rows = (
        (await uow.session.execute(select(table).where(table.c.unit == unit, table.c.label == LABEL)))
        .mappings()
        .all()
    )
    now = SYSTEM_CLOCK.now()
    changed = False
    for row in rows:
        if row["key_id"] != key_id and row["revoked_at"] is None:
            await uow.session.execute(
                update(table).where(table.c.key_id == row["key_id"]).values(revoked_at=now)
            )
            uow.emit(
                CredentialChanged.model_validate({**row, "revoked_at": now}), key=row["key_id"], subject=unit
            )
            changed = True
    if any(row["key_id"] == key_id for row in rows):
        return changed
    values = {
        "key_id": key_id,
        "unit": unit,
        "role": "unit",
        "secret_hash": hash_secret(token.split("_", 2)[2]),
        "label": LABEL,
        "created_at": now,
        "revoked_at": None,
    }
    await uow.session.execute(insert(table).values(values))
    uow.emit(CredentialChanged.model_validate(values), key=key_id, subject=unit)
    return True

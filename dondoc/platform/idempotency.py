"""`Idempotency-Key`: a retried write returns the first answer and creates nothing new."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.audit import audit_accepted
from dondoc.platform.auth import Principal
from dondoc.platform.db import driver_rows
from dondoc.platform.uow import UnitOfWork

# What a write's work answers: the HTTP status, the body, and what the audit record names as its target.
Answer = tuple[int, dict[str, object], str | None]
Work = Callable[[UnitOfWork], Awaitable[Answer]]
UowFactory = Callable[[], UnitOfWork]

_KEY_REUSED = "Idempotency-Key này đã được dùng cho một yêu cầu khác. Hãy dùng một khóa mới cho yêu cầu mới."


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# Asked when a keyed write failed, for the first answer: straight to the driver (ADR 0100).
_STORED = 'SELECT request_hash, status, body FROM idempotency_keys WHERE principal = ? AND "key" = ?'


async def _stored(uow: UnitOfWork, principal: Principal, key: str) -> tuple[str, int, bytes] | None:
    rows = await driver_rows(uow.session, _STORED, principal.key_id, key)
    return (str(rows[0][0]), int(rows[0][1]), bytes(rows[0][2])) if rows else None


class _Encoded(JSONResponse):
    """A JSON answer from the bytes the idempotency record keeps: encoded once, for the record and the
    answer alike, and a replay answers the very bytes of the first answer."""

    def render(self, content: object) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


def _encoded(content: dict[str, object]) -> bytes:
    return json.dumps(content, ensure_ascii=False, default=str).encode()


def _replay(stored: tuple[str, int, bytes], digest: str) -> JSONResponse:
    stored_hash, status, body = stored
    if stored_hash != digest:
        raise HTTPException(422, _KEY_REUSED)
    return _Encoded(status_code=status, content=body, headers={"Idempotent-Replayed": "true"})


async def accept_write(
    uow_factory: UowFactory,
    principal: Principal,
    action: str,
    idempotency_key: str | None,
    body: bytes,
    work: Work,
) -> JSONResponse:
    """Run `work` in one transaction with its audit record and its idempotency record.

    The key's record is written with the work and not looked up first (ADR 0126): the record's primary key
    (principal, key) refuses a second one, so a retry of a write that took effect rolls back whatever it
    did and answers the first answer; so does a retry that its work now refuses (the assignment withdrawn
    since, say). Asking first cost every keyed write a round trip to the store, a tenth of intake's
    throughput on PostgreSQL, for the rare retry.
    """
    digest = request_hash(body)
    key = idempotency_key.strip()[:200] if idempotency_key else None
    try:
        async with uow_factory() as uow:
            await uow.lock_for_writing()
            status, content, target = await work(uow)
            body = _encoded(content)
            audit_accepted(uow, principal, action, target, status, key)
            if key:
                uow.insert(
                    uow.tables.idempotency,
                    principal=principal.key_id,
                    key=key,
                    request_hash=digest,
                    status=status,
                    body=body,
                    created_at=SYSTEM_CLOCK.now(),
                )
            await uow.commit()
    except Exception:
        if not key:
            raise
        # The first request with this key took effect (or a concurrent one won the race): its answer.
        try:
            async with uow_factory() as again:
                stored = await _stored(again, principal, key)
        except Exception:
            stored = None  # the store is away: the write's own failure is the answer
        if stored is None:
            raise
        return _replay(stored, digest)
    return _Encoded(status_code=status, content=body)

"""Running a write from a route: audit and Idempotency-Key on success, an audited refusal otherwise."""

from __future__ import annotations

import asyncio
import random
from typing import Annotated

from fastapi import Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from dondoc.platform.audit import record_refused
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Work, accept_write
from dondoc.platform.refusals import Conflict, Refused
from dondoc.platform.runtime import Runtime

__all__ = ["IdempotencyKey", "Refused", "refuse", "write"]

# A client's retry key: the same key and body again returns the first answer (dondoc.platform.idempotency).
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
# A write whose next version another writer took meanwhile is run again: the server numbers versions, so
# the race is its own and never the caller's to retry (several instances on one store still race).
WRITE_ATTEMPTS = 6


async def refuse(
    runtime: Runtime, principal: Principal | None, action: str, target: str, refused: Refused, key: str | None
) -> HTTPException:
    """Audit a refused write and turn it into the HTTP answer."""
    await record_refused(
        runtime.engine, runtime.spec.tables, principal, action, target, refused.status, refused.message, key
    )
    return HTTPException(refused.status, refused.detail, headers=refused.headers)


async def write(
    request: Request,
    runtime: Runtime,
    principal: Principal,
    action: str,
    key: str | None,
    work: Work,
    body: bytes | None = None,
    target: str | None = None,
    serialise: str | None = None,
) -> JSONResponse:
    """Run `work` through `accept_write` (audit + Idempotency-Key); refusals are audited too.

    `target` names what a refusal was about in the audit log (default: the request's path). Writes
    naming the same `serialise` key run one at a time in this process (the versions of one assignment);
    a write that still lost a race for a unique row (another instance) is run again, a few times.
    """
    payload = body if body is not None else await request.body()
    about = target or request.url.path
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            async with runtime.write_locks.hold(serialise):
                return await accept_write(runtime.uow, principal, action, key, payload, work)
        except Refused as refused:
            raise await refuse(runtime, principal, action, about, refused, key) from None
        except IntegrityError:
            if attempt < WRITE_ATTEMPTS:
                await asyncio.sleep(random.uniform(0.01, 0.05) * attempt)
                continue
            # Two writers kept racing for the same row (the same next version, the same review).
            raise await refuse(runtime, principal, action, about, Conflict(), key) from None
    raise AssertionError("unreachable")

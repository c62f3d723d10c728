"""Running a write from a route: audit and Idempotency-Key on success, an audited refusal otherwise.

A route takes a `Writer` (`WriterDep`: the request, the runtime, the caller and their Idempotency-Key)
and hands it the use case and its arguments, with how the use case's value becomes the HTTP answer:

    return await writer.run("plan.submit", plan_answer, plans.submit_plan, principal, directory, plan)

The use case returns a value of its domain and raises named refusals; the writer runs it in one unit of
work with its audit record and its idempotency record (`accept_write`), answers what `shape` makes of the
value, and audits a refusal as refused. A page that needs the value itself calls `perform`.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Concatenate, Generic, ParamSpec, TypeVar

from fastapi import Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from dondoc.platform.app import PrincipalDep, service_app
from dondoc.platform.audit import record_refused
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Answer, Work, accept_write
from dondoc.platform.refusals import Conflict, Refused
from dondoc.platform.runtime import Runtime
from dondoc.platform.uow import UnitOfWork

__all__ = ["IdempotencyKey", "Refused", "Writer", "WriterDep", "Written", "refuse", "write"]

T = TypeVar("T")
P = ParamSpec("P")

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


@dataclass(frozen=True)
class Written(Generic[T]):
    """What a write answered: the use case's value, or — when an Idempotency-Key replayed the first
    answer, and the use case did not run again — that first answer's body (`first`)."""

    response: JSONResponse
    value: T | None
    first: dict[str, object] | None = None


@dataclass(frozen=True)
class Writer:
    """One caller's writes from one request: each runs a use case through `write` (see the module)."""

    request: Request
    runtime: Runtime
    principal: Principal
    key: str | None = None
    body: bytes | None = None  # what the Idempotency-Key fingerprints (default: the request's body)
    target: str | None = None  # what a refusal was about in the audit log (default: the request's path)
    serialise: str | None = None  # writes naming the same key run one at a time in this process

    def about(
        self, *, body: bytes | None = None, target: str | None = None, serialise: str | None = None
    ) -> Writer:
        """The same writer with the fingerprint, the audit target or the serialising key given."""
        return replace(
            self,
            body=body if body is not None else self.body,
            target=target if target is not None else self.target,
            serialise=serialise if serialise is not None else self.serialise,
        )

    async def perform(
        self,
        action: str,
        shape: Callable[[T], Answer],
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Written[T]:
        """Run `use_case(uow, *args, **kwargs)` as `action`; its value shaped by `shape` is the answer."""
        made: list[T] = []

        async def work(uow: UnitOfWork) -> Answer:
            value = await use_case(uow, *args, **kwargs)
            made.append(value)  # a write run again after a lost race keeps the last run's value
            return shape(value)

        response = await write(
            self.request,
            self.runtime,
            self.principal,
            action,
            self.key,
            work,
            self.body,
            self.target,
            self.serialise,
        )
        if response.headers.get("Idempotent-Replayed") == "true" or not made:
            stored = json.loads(bytes(response.body))
            return Written(response, None, stored if isinstance(stored, dict) else {})
        return Written(response, made[-1])

    async def run(
        self,
        action: str,
        shape: Callable[[T], Answer],
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> JSONResponse:
        """`perform`, answering only the HTTP answer (what an API route returns)."""
        return (await self.perform(action, shape, use_case, *args, **kwargs)).response


async def get_writer(request: Request, principal: PrincipalDep, key: IdempotencyKey = None) -> Writer:
    return Writer(request, service_app(request).runtime, principal, key)


WriterDep = Annotated[Writer, Depends(get_writer)]

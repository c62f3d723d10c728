"""Every accepted and every refused write leaves one audit record."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.auth import Principal
from dondoc.platform.context import current_correlation_id
from dondoc.platform.tables import PlatformTables
from dondoc.platform.uow import UnitOfWork


def _row(
    principal: Principal | None,
    action: str,
    target: str | None,
    outcome: str,
    status: int,
    idempotency_key: str | None,
    detail: str | None,
) -> dict[str, object]:
    return {
        "at": SYSTEM_CLOCK.now(),
        "key_id": principal.key_id if principal else None,
        "unit": principal.unit if principal else None,
        "action": action,
        "target": target,
        "outcome": outcome,
        "status": status,
        "idempotency_key": idempotency_key,
        "correlation_id": current_correlation_id(),
        "detail": detail[:2000] if detail else None,
    }


async def record_accepted(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    action: str,
    target: str | None,
    status: int = 202,
    idempotency_key: str | None = None,
) -> None:
    """Audit an accepted write inside the transaction that performs it."""
    # The row as parameters of a plain INSERT: building `.values(...)` each time cost more than the insert.
    await session.execute(
        insert(tables.audit_log), _row(principal, action, target, "accepted", status, idempotency_key, None)
    )


def audit_accepted(
    uow: UnitOfWork,
    principal: Principal,
    action: str,
    target: str | None,
    status: int = 202,
    idempotency_key: str | None = None,
) -> None:
    """Audit an accepted write with the rows its transaction writes at commit (`UnitOfWork.insert`): the
    audit log is never read back by the write that adds to it."""
    row = _row(principal, action, target, "accepted", status, idempotency_key, None)
    uow.insert(uow.tables.audit_log, **row)


async def record_refused(
    engine: AsyncEngine,
    tables: PlatformTables,
    principal: Principal | None,
    action: str,
    target: str | None,
    status: int,
    detail: str,
    idempotency_key: str | None = None,
) -> None:
    """Audit a refused write in a transaction of its own (the write itself was rolled back)."""
    async with engine.begin() as conn:
        await conn.execute(
            insert(tables.audit_log).values(
                _row(principal, action, target, "refused", status, idempotency_key, detail)
            )
        )

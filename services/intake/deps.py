"""What intake's routes share: the directory in force, and running a write with audit and idempotency."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from dondoc.directory import Directory
from dondoc.platform.app import RuntimeDep
from dondoc.platform.audit import record_refused
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Work, accept_write
from dondoc.platform.runtime import Runtime
from services.intake import directory_store
from services.intake.directory_store import DirectoryHolder
from services.intake.handlers import Refused
from services.intake.schemas import Accepted

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": Accepted, "description": "Đã nhận và lưu; sự kiện sẽ được phát qua outbox."}
}


def holder_of(request: Request) -> DirectoryHolder:
    """The app's directory holder (made in `create_app`)."""
    holder: DirectoryHolder = request.app.state.directory
    return holder


async def get_directory(request: Request, runtime: RuntimeDep) -> Directory:
    """The newest published directory (cached; reloaded when another writer published a newer one)."""
    async with runtime.uow() as uow:
        return await directory_store.current(uow, holder_of(request))


DirectoryDep = Annotated[Directory, Depends(get_directory)]


def base_url(runtime: Runtime) -> str:
    """Where links in answers point."""
    return runtime.settings.public_base_url.rstrip("/")


async def refuse(
    runtime: Runtime, principal: Principal | None, action: str, target: str, refused: Refused, key: str | None
) -> HTTPException:
    """Audit a refused write and turn it into the HTTP answer."""
    await record_refused(
        runtime.engine, runtime.spec.tables, principal, action, target, refused.status, refused.message, key
    )
    return HTTPException(refused.status, refused.detail)


async def write(
    request: Request,
    runtime: Runtime,
    principal: Principal,
    action: str,
    key: str | None,
    work: Work,
    body: bytes | None = None,
) -> JSONResponse:
    """Run `work` through `accept_write` (audit + Idempotency-Key); refusals are audited too."""
    payload = body if body is not None else await request.body()
    try:
        return await accept_write(runtime.uow, principal, action, key, payload, work)
    except Refused as refused:
        raise await refuse(runtime, principal, action, request.url.path, refused, key) from None
    except IntegrityError:
        # Two writers raced for the same next version (e.g. two directory changes at once).
        conflict = Refused(409, "Dữ liệu vừa được người khác thay đổi cùng lúc; hãy tải lại và thử lại.")
        raise await refuse(runtime, principal, action, request.url.path, conflict, key) from None


def require_admin(principal: Principal) -> None:
    """Only a city administrator manages the directory and keys (refusal is audited by `write`)."""
    if not principal.is_admin:
        raise Refused(403, "Chỉ quản trị viên thành phố được thực hiện thao tác này.")

"""What intake's routes share: the directory in force, and running a write with audit and idempotency."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from dondoc.directory import Directory
from dondoc.platform.app import RuntimeDep
from dondoc.platform.runtime import Runtime
from services.intake import directory_store
from services.intake.directory_store import DirectoryHolder
from services.intake.http.schemas import Accepted

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

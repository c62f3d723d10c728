"""What intake's routes share: the directory in force, and running a write with audit and idempotency."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from dondoc.directory import Directory
from dondoc.platform.app import on_the_loop, runtime_dependency
from services.intake import directory_store
from services.intake.context import IntakeContext, IntakeRuntime
from services.intake.directory_store import DirectoryHolder
from services.intake.schemas import Accepted
from services.intake.settings import IntakeSettings

ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": Accepted, "description": "Đã nhận và lưu; sự kiện sẽ được phát qua outbox."}
}


# Also called directly by the workspace's pages (web/), which read the runtime where they need it.
runtime_of = runtime_dependency(IntakeSettings, IntakeContext)
# This service's runtime: `runtime.settings` is IntakeSettings, `runtime.context` the IntakeContext.
RuntimeDep = Annotated[IntakeRuntime, Depends(on_the_loop(runtime_of))]


def holder_of(request: Request) -> DirectoryHolder:
    """The app's directory holder (its context's)."""
    return runtime_of(request).context.directory


async def get_directory(request: Request, runtime: RuntimeDep) -> Directory:
    """The newest published directory (cached; reloaded when another writer published a newer one)."""
    async with runtime.uow() as uow:
        return await directory_store.current(uow, holder_of(request))


DirectoryDep = Annotated[Directory, Depends(get_directory)]


def base_url(runtime: IntakeRuntime) -> str:
    """Where links in answers point."""
    return runtime.settings.public_base_url.rstrip("/")

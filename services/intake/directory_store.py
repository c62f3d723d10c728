"""Intake owns the unit directory: versions in its store, the newest in memory, each change published."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from dondoc.directory import Directory, load_default_directory, load_directory
from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.uow import UnitOfWork
from services.intake.models import DirectoryVersion, metadata
from services.intake.settings import IntakeSettings
from shared.events import DirectoryPublished

DIRECTORY_KEY = "directory"


@dataclass
class DirectoryHolder:
    """The directory version this process serves, refreshed when the store holds a newer one."""

    directory: Directory | None = None
    version: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def packaged_directory(settings: IntakeSettings) -> Directory:
    """The directory a fresh store starts from: `DIRECTORY_PATH` if set, else the packaged Hải Phòng."""
    if settings.directory_path is not None:
        return load_directory(settings.directory_path)
    return load_default_directory()


async def latest_version(uow: UnitOfWork) -> int:
    """The newest directory version in the store (0 when none was ever published)."""
    current = (await uow.session.exec(select(func.max(DirectoryVersion.version)))).one()
    return int(current or 0)


async def load_version(uow: UnitOfWork, version: int) -> Directory:
    """Read one stored version back into a Directory."""
    row = (
        await uow.session.exec(select(DirectoryVersion).where(col(DirectoryVersion.version) == version))
    ).one()
    return Directory.from_dict(dict(row.snapshot))


async def publish(
    uow: UnitOfWork, directory: Directory, *, action: str, summary: str, by: str
) -> DirectoryPublished:
    """Store `directory` as the next version and emit `directory.published` (same transaction)."""
    version = await latest_version(uow) + 1
    now = SYSTEM_CLOCK.now()
    snapshot = directory.to_dict()
    uow.session.add(
        DirectoryVersion(
            version=version,
            city=directory.city,
            action=action,
            summary=summary[:1000],
            snapshot=snapshot,
            published_by=by,
            published_at=now,
        )
    )
    event = DirectoryPublished(version=version, snapshot=snapshot, published_at=now)
    uow.emit(event, key=DIRECTORY_KEY, subject=f"directory/{version}")
    return event


async def current(uow: UnitOfWork, holder: DirectoryHolder) -> Directory:
    """The newest directory, read from the store only when another writer published a newer one."""
    version = await latest_version(uow)
    if holder.directory is not None and holder.version == version:
        return holder.directory
    async with holder.lock:
        if holder.directory is None or holder.version != version:
            holder.directory = await load_version(uow, version)
            holder.version = version
    return holder.directory


async def seed(uow: UnitOfWork, settings: IntakeSettings) -> bool:
    """On a store's first start, publish the packaged directory as version 1; False if one exists."""
    if await latest_version(uow) > 0:
        return False
    directory = await asyncio.to_thread(packaged_directory, settings)
    await publish(uow, directory, action="seed", summary="Danh mục mặc định", by="system")
    await uow.commit()
    return True


async def history(uow: UnitOfWork) -> list[dict[str, object]]:
    """Every published version, newest first, without the snapshots themselves."""
    table = metadata.tables[DirectoryVersion.__tablename__]
    shown = [c for c in table.columns if c.name != "snapshot"]
    query = sa_select(*shown).order_by(table.c.version.desc())
    return [dict(row) for row in (await uow.session.execute(query)).mappings()]

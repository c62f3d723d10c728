"""Follow intake's unit directory: after a merge or rename, groups expand to the units that exist now."""

from __future__ import annotations

from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from shared.events import DirectoryPublished


async def on_directory_published(uow: UnitOfWork, event: DirectoryPublished, ctx: TasksContext) -> None:
    """Keep the newest version in the store and serve it (an older version never replaces a newer one)."""
    if ctx.live is not None:
        await ctx.live.record(uow.session, event)

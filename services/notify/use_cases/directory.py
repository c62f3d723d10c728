"""Follow intake's unit directory: notices name a renamed or merged unit as the directory names it now."""

from __future__ import annotations

from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from shared.events import DirectoryPublished


async def on_directory_published(uow: UnitOfWork, event: DirectoryPublished, ctx: NotifyContext) -> None:
    """Keep the newest version in the store and serve it (an older version never replaces a newer one)."""
    await ctx.live.record(uow.session, event)

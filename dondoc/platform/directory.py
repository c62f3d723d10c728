"""The live unit directory a service follows: intake's newest `directory.published`, kept in its store."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dondoc.directory import Directory
from shared.events import DirectoryPublished

DIRECTORY_TABLE = "directory_view"


def define_directory_table(metadata: MetaData) -> Table:
    """One row (id 1): the newest published version and its snapshot, the shape reporting has always kept."""
    return Table(
        DIRECTORY_TABLE,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("version", Integer, nullable=False),
        Column("snapshot", JSON, nullable=False),
    )


class LiveDirectory:
    """The directory this process serves: the packaged one until intake publishes, then the newest version.

    Memory is a cache of the store: `refresh` reads the stored version first, so a replica that did not
    consume the event (its partition went to another process) and a restarted process serve the newest one.
    """

    def __init__(self, packaged: Directory, table: Table) -> None:
        self._directory = packaged
        self._table = table
        self.version = 0

    @property
    def directory(self) -> Directory:
        """The newest directory this process has seen."""
        return self._directory

    def adopt(self, version: int, snapshot: dict[str, object]) -> None:
        """Serve `snapshot` if newer than what is served: an older version never replaces a newer one."""
        if version > self.version:
            self._directory = Directory.from_dict(dict(snapshot))
            self.version = version

    async def refresh(self, session: AsyncSession) -> Directory:
        """The newest directory in the store, parsed only when its version moved past the one in memory."""
        stored = (await session.execute(select(self._table.c.version).where(self._table.c.id == 1))).scalar()
        if stored is not None and int(stored) > self.version:
            query = select(self._table.c.snapshot).where(self._table.c.id == 1)
            snapshot = (await session.execute(query)).scalar_one()
            self.adopt(int(stored), dict(snapshot))
        return self._directory

    async def record(self, session: AsyncSession, event: DirectoryPublished) -> bool:
        """Keep `event` in the store (the caller's transaction) and serve it; False when it is not newer."""
        if not await store_newest(session, self._table, event):
            return False
        # Memory moves now; if the transaction rolls back the inbox redelivers and the store catches up.
        self.adopt(event.version, dict(event.snapshot))
        return True


async def store_newest(session: AsyncSession, table: Table, event: DirectoryPublished) -> bool:
    """Write `event` as the stored directory unless the store holds the same or a newer version."""
    stored = (await session.execute(select(table.c.version).where(table.c.id == 1))).scalar()
    if stored is not None and int(stored) >= event.version:
        return False
    snapshot = dict(event.snapshot)
    if stored is None:
        await session.execute(insert(table).values(id=1, version=event.version, snapshot=snapshot))
    else:
        await session.execute(
            update(table).where(table.c.id == 1).values(version=event.version, snapshot=snapshot)
        )
    return True

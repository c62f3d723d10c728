"""The live directory on a real store (SQLite, PostgreSQL): newest version wins, a new process catches up."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dondoc.directory import Directory, load_default_directory
from dondoc.directory.history import rename
from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.directory import LiveDirectory
from services.tasks import models
from shared.events import DirectoryPublished

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"
WARD = "11407"


def _published(version: int, name: str) -> DirectoryPublished:
    renamed = rename(load_default_directory(), WARD, name, date(2026, 7, 1))
    return DirectoryPublished(version=version, snapshot=renamed.to_dict(), published_at=datetime.now(UTC))


def _name(directory: Directory) -> str:
    unit = directory.get(WARD)
    assert unit is not None
    return unit.name


async def test_an_older_version_never_replaces_a_newer_one_and_a_fresh_process_reads_the_store(
    database_url: str,
) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    live = LiveDirectory(load_default_directory(), models.DIRECTORY)
    packaged_name = _name(live.directory)
    try:
        async with sessions() as session:
            assert await live.record(session, _published(3, "Phường Ba"))
            await session.commit()
        newest = _name(live.directory)
        assert newest != packaged_name and live.version == 3

        # Published earlier but delivered later, or delivered again: neither store nor memory goes back.
        for late in (_published(2, "Phường Hai"), _published(3, "Phường Khác")):
            async with sessions() as session:
                assert not await live.record(session, late)
                await session.commit()
            assert _name(live.directory) == newest and live.version == 3

        # A restarted process (or a replica whose partitions did not carry the event) starts packaged...
        other = LiveDirectory(load_default_directory(), models.DIRECTORY)
        assert _name(other.directory) == packaged_name
        async with sessions() as session:
            # ...and serves the stored version after one refresh.
            assert _name(await other.refresh(session)) == newest and other.version == 3
    finally:
        await engine.dispose()

"""Reporting names units as intake last published them, through the live directory tasks and notify use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from dondoc.directory import load_default_directory
from dondoc.directory.history import rename
from dondoc.kernel.clock import FixedClock
from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.reporting import queries
from services.reporting.app import SPEC
from services.reporting.consumers import SUBSCRIPTIONS
from services.reporting.context import ReportingContext
from services.reporting.settings import ReportingSettings
from shared.envelope import wrap
from shared.events import DirectoryPublished

WARD = "11407"


def _published(version: int, name: str) -> DirectoryPublished:
    renamed = rename(load_default_directory(), WARD, name, date(2026, 7, 1))
    return DirectoryPublished(version=version, snapshot=renamed.to_dict(), published_at=datetime.now(UTC))


async def test_a_rename_reaches_reporting_and_an_older_version_arriving_late_does_not_undo_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/reporting.db"
    migrations.upgrade(SPEC.migrations, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    newest, older = _published(4, "Phường Cửa Cấm"), _published(3, "Phường Hạ Lý")
    try:
        for event in (newest, older):
            async with UnitOfWork(sessions, SPEC.tables, SPEC.name) as uow:
                envelope = wrap(event, source="intake", correlation_id="c")
                await SUBSCRIPTIONS.bind(None)[envelope.topic](uow, envelope)
                await uow.commit()
        ctx = ReportingContext(ReportingSettings(), FixedClock.on(date(2026, 12, 7)))
        async with sessions() as session:
            found = await queries.directory(session, ctx)
        name = queries.unit_of(found, WARD).name
        assert "Cửa Cấm" in name and "An Biên" not in name, name
    finally:
        await engine.dispose()

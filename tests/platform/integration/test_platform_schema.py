"""Every service's migrations build the platform's six tables exactly as `dondoc.platform.tables` says."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from dondoc.platform import migrations
from dondoc.platform.base_schema import PLATFORM_TABLES
from dondoc.platform.db import ensure_sqlite_folder, sync_url
from tests.support import ROOT

SERVICES = ("intake", "tasks", "reporting", "notify")


def _differences(database_url: str, service: str) -> list[object]:
    models = importlib.import_module(f"services.{service}.models")
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, models.metadata))
    finally:
        engine.dispose()


def _about_platform(difference: object) -> bool:
    text = repr(difference)
    return any(f"'{table}'" in text or f"Table('{table}'" in text for table in PLATFORM_TABLES)


@pytest.mark.parametrize("service", SERVICES)
def test_a_new_store_gets_the_platform_tables_the_platform_defines(database_url: str, service: str) -> None:
    migrations.upgrade(ROOT / "services" / service / "migrations", database_url)
    # Existing stores were made by the same base revisions (same ids, the same operations, now written once),
    # so they need no upgrade for this: the schema a new store gets is the one they have.
    differences = [d for d in _differences(database_url, service) if _about_platform(d)]
    assert differences == []


@pytest.mark.parametrize("service", SERVICES)
def test_the_base_revision_goes_down_and_up_again(database_url: str, service: str) -> None:
    """The helper's downgrade drops what its upgrade made: the store returns to empty and back to head."""
    location = ROOT / "services" / service / "migrations"
    migrations.upgrade(location, database_url)
    command.downgrade(migrations.alembic_config(location, database_url), "base")
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            left = set(inspect(connection).get_table_names()) & set(PLATFORM_TABLES)
    finally:
        engine.dispose()
    assert left == set()
    migrations.upgrade(location, database_url)
    assert [d for d in _differences(database_url, service) if _about_platform(d)] == []


def _base_revision(location: Path, database_url: str) -> str:
    base = ScriptDirectory.from_config(migrations.alembic_config(location, database_url)).get_base()
    assert isinstance(base, str)
    return base


@pytest.mark.parametrize("service", SERVICES)
def test_a_store_in_use_since_the_base_revision_upgrades_with_its_rows(
    database_url: str, service: str
) -> None:
    """An existing store (made at the base revision, holding outbox, inbox and audit rows) upgrades to head:
    its rows stay, and its platform tables are then the ones a new store gets."""
    location = ROOT / "services" / service / "migrations"
    ensure_sqlite_folder(database_url)
    command.upgrade(migrations.alembic_config(location, database_url), _base_revision(location, database_url))
    at = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO outbox (event_id, topic, key, payload, created_at, attempts)"
                    " VALUES ('e-1', 'task.assigned', '11407', :payload, :at, 0)"
                ),
                {"payload": b'{"id": "e-1"}', "at": at},
            )
            connection.execute(
                text("INSERT INTO processed_events VALUES ('tasks.plan.received', 'e-0', :at)"), {"at": at}
            )
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, key_id, action, outcome, status)"
                    " VALUES (:at, 'k-1', 'plan.submit', 'accepted', 202)"
                ),
                {"at": at},
            )
        migrations.upgrade(location, database_url)
        with engine.connect() as connection:
            outbox = connection.execute(text("SELECT event_id, topic, payload FROM outbox")).all()
            inbox = connection.execute(text("SELECT consumer, event_id FROM processed_events")).all()
            audit = connection.execute(text("SELECT action, status FROM audit_log")).all()
    finally:
        engine.dispose()
    assert [(r[0], r[1], bytes(r[2])) for r in outbox] == [("e-1", "task.assigned", b'{"id": "e-1"}')]
    assert [tuple(r) for r in inbox] == [("tasks.plan.received", "e-0")]
    assert [tuple(r) for r in audit] == [("plan.submit", 202)]
    assert [d for d in _differences(database_url, service) if _about_platform(d)] == []

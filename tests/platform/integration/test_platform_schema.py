"""Every service's migrations build the platform's six tables exactly as `dondoc.platform.tables` says."""

from __future__ import annotations

import importlib

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dondoc.platform import migrations
from dondoc.platform.base_schema import PLATFORM_TABLES
from dondoc.platform.db import sync_url
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

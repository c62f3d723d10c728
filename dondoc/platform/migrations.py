"""Schema migrations per service with Alembic, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, engine_from_config, pool

from dondoc.platform.db import ensure_sqlite_folder, is_sqlite, sync_url


def alembic_config(script_location: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", sync_url(database_url).replace("%", "%%"))
    return config


def upgrade(script_location: Path, database_url: str) -> None:
    """Bring the service's store to the newest schema (idempotent; blocking)."""
    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(script_location, database_url), "head")


def revision(script_location: Path, database_url: str, message: str) -> None:
    """Autogenerate a migration from the models (development)."""
    command.revision(alembic_config(script_location, database_url), message=message, autogenerate=True)


def run_env(metadata: MetaData) -> None:
    """Body of every service's Alembic env.py: online migrations with the sync driver."""
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url") or ""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=is_sqlite(url),  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

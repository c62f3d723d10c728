"""Alembic environment of the tasks service: its own metadata only."""

from dondoc.platform.migrations import run_env
from services.tasks.models import metadata

run_env(metadata)

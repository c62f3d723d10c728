"""Alembic environment of the reporting service: its own metadata only."""

from dondoc.platform.migrations import run_env
from services.reporting.models import metadata

run_env(metadata)

"""Alembic environment of the notify service: its own metadata only."""

from dondoc.platform.migrations import run_env
from services.notify.models import metadata

run_env(metadata)

"""Alembic environment of the intake service: its own metadata only."""

from dondoc.platform.migrations import run_env
from services.intake.models import metadata

run_env(metadata)

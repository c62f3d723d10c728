"""Adapter from the shared unit directory to the tasks service's `UnitDirectory` port."""

from __future__ import annotations

from pathlib import Path

from services.tasks.units import UnitDirectory


class _CodesOnly:
    """Placeholder until the directory package is wired: knows no groups."""

    def expand(self, group: str, context: str | None) -> list[str]:
        return []

    def name_of(self, unit: str) -> str:
        return unit


def load_unit_directory(path: Path | None) -> UnitDirectory:
    return _CodesOnly()

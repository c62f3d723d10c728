"""Adapter from the shared unit directory (`dondoc.directory`) to the tasks service's `UnitDirectory` port."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dondoc.directory import Directory, UnknownCode, addressing, load_default_directory, load_directory
from dondoc.directory.model import COMMUNE_KINDS, COMMUNE_OFFICE_KINDS
from dondoc.platform.directory import LiveDirectory
from services.tasks.domain.units import Level
from services.tasks.models import DIRECTORY


class DirectoryUnits:
    """The live directory (intake's newest published version, else the packaged one) as the tasks port."""

    def __init__(self, live: LiveDirectory) -> None:
        self.live = live

    @property
    def _directory(self) -> Directory:
        return self.live.directory

    def expand(self, group: str, context: str | None) -> list[str]:
        """Member codes of a group; an unknown group expands to nobody (the task then waits for a person)."""
        try:
            return self._directory.expand(group, context)
        except UnknownCode:
            return []

    def name_of(self, unit: str) -> str:
        """The official name, or the code itself for a unit the directory does not list."""
        found = self._directory.get(unit)
        return found.name if found else unit

    def knows(self, unit: str) -> bool:
        """Whether the directory lists an active unit with this code."""
        found = self._directory.get(unit)
        return found is not None and found.active

    def kind_of(self, unit: str) -> str:
        """The directory kind of the unit."""
        found = self._directory.get(unit)
        return found.kind if found else "unknown"

    def level_of(self, unit: str) -> Level:
        """Communes and their offices report at commune level, the city itself at city level."""
        kind = self.kind_of(unit)
        if kind in COMMUNE_KINDS or kind in COMMUNE_OFFICE_KINDS:
            return "commune"
        return "city" if kind == "city" else "department"

    def not_addressable(self, issuer: str, units: Sequence[str], rule: Sequence[str]) -> list[str]:
        """The units a plan of `issuer` may not address: outside its subtree and every configured relation."""
        return addressing.not_addressable(self._directory, issuer, units, addressing.relations(rule))


def load_unit_directory(path: Path | None) -> DirectoryUnits:
    """Start from the packaged directory, or the one in `path` (same CSV shape), until intake publishes."""
    return DirectoryUnits(
        LiveDirectory(load_directory(path) if path else load_default_directory(), DIRECTORY)
    )

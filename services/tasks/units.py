"""The port through which assignments meet the unit directory (groups expand, codes get names)."""

from __future__ import annotations

from typing import Protocol


class UnitDirectory(Protocol):
    def expand(self, group: str, context: str | None) -> list[str]:
        """Member unit codes of a collective name, relative to the issuing unit."""
        ...

    def name_of(self, unit: str) -> str:
        """The unit's official name (its code when unknown)."""
        ...

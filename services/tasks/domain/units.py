"""The port through which assignments meet the unit directory (groups expand, codes get names)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

Level = Literal["commune", "department", "city"]


class UnitDirectory(Protocol):
    """What the tasks service needs from the unit directory."""

    def expand(self, group: str, context: str | None) -> list[str]:
        """Member unit codes of a collective name, relative to the issuing unit."""
        ...

    def name_of(self, unit: str) -> str:
        """The unit's official name (its code when unknown)."""
        ...

    def knows(self, unit: str) -> bool:
        """Whether the code names an active unit."""
        ...

    def kind_of(self, unit: str) -> str:
        """The unit's kind ("department", "phuong", "commune_office" …; "unknown" when not listed)."""
        ...

    def level_of(self, unit: str) -> Level:
        """The reporting level the unit reports at."""
        ...

    def not_addressable(self, issuer: str, units: Sequence[str], rule: Sequence[str]) -> list[str]:
        """The units a plan of `issuer` may not give tasks to (dondoc.directory.addressing, ADR 0031)."""
        ...

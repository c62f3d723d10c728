"""Unit mentions → UnitRefs, through the city directory when it is installed, else by text alone."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from .blocks import clean
from .model import UnitRef
from .unit_split import split_units


class _Resolution(Protocol):
    text: str
    unit: str | None
    group: str | None
    candidates: tuple[str, ...]
    needs_designation: bool


class _Directory(Protocol):
    def split_units(self, text: str, context: str | None = None) -> list[_Resolution]: ...

    def resolve(self, text: str, context: str | None = None) -> _Resolution: ...


@lru_cache(maxsize=1)
def default_directory() -> _Directory | None:
    """The project's directory if its package is importable; parsing still works without it."""
    try:
        module = importlib.import_module("dondoc.directory")
        loader = module.load_default_directory
    except (ImportError, AttributeError):
        return None
    directory: _Directory = loader()
    return directory


@dataclass
class UnitReader:
    """Reads unit lists in the context of the plan's issuer (whose offices "Văn phòng HĐND và UBND" are)."""

    directory: _Directory | None
    context: str | None = None
    _cache: dict[str, tuple[list[UnitRef], bool]] = field(default_factory=dict)

    def read(self, text: str | None) -> tuple[list[UnitRef], bool]:
        """The units named in `text`, and whether a person should check them."""
        if not text or not clean(text):
            return [], False
        if text not in self._cache:
            self._cache[text] = self._read(text)
        return self._cache[text]

    def one(self, text: str) -> UnitRef:
        """A single unit name (an issuer, a recipient) as a UnitRef."""
        if self.directory is None:
            return UnitRef(text=clean(text))
        res = self.directory.resolve(clean(text), self.context)
        return UnitRef(text=clean(text), unit=res.unit, group=res.group)

    def _read(self, text: str) -> tuple[list[UnitRef], bool]:
        pieces = split_units(text)
        if self.directory is None:
            return [UnitRef(text=p) for p in pieces], True
        mine = [self.directory.resolve(p, self.context) for p in pieces]
        theirs = list(self.directory.split_units(clean(text), self.context))
        chosen = theirs if _resolved(theirs) > _resolved(mine) else mine
        refs = [UnitRef(text=clean(r.text), unit=r.unit, group=r.group) for r in chosen]
        unsure = any((r.unit is None and r.group is None) or r.needs_designation for r in chosen)
        return refs, unsure


def _resolved(resolutions: list[_Resolution]) -> int:
    return sum(1 for r in resolutions if r.unit is not None or r.group is not None)

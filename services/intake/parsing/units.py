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
    """Resolves unit names in the context of the plan's issuer (whose offices "Văn phòng HĐND và UBND" are).

    The grammar in `unit_split` decides where names end; the directory only resolves them, and only in its own
    jurisdiction: a plan of another province keeps its units as written, unresolved.
    """

    directory: _Directory | None
    context: str | None = None
    foreign: bool = False
    _cache: dict[str, tuple[list[UnitRef], bool]] = field(default_factory=dict)

    def read(self, text: str | None) -> tuple[list[UnitRef], bool]:
        """The units named in `text`, and whether a person should check them."""
        if not text or not clean(text):
            return [], False
        if text not in self._cache:
            self._cache[text] = self.refs(split_units(text))
        return self._cache[text]

    def refs(self, names: list[str]) -> tuple[list[UnitRef], bool]:
        """Names already told apart → UnitRefs, and whether any needs a person's check."""
        out: list[UnitRef] = []
        unsure = False
        for name in names:
            ref, sure = self._resolve(clean(name))
            out.append(ref)
            unsure = unsure or not sure
        return out, unsure

    def one(self, text: str) -> UnitRef:
        """A single unit name (an issuer, a recipient) as a UnitRef."""
        return self._resolve(clean(text))[0]

    def _resolve(self, name: str) -> tuple[UnitRef, bool]:
        if self.directory is None or self.foreign:
            return UnitRef(text=name), False
        res = self.directory.resolve(name, self.context)
        sure = (res.unit is not None or res.group is not None) and not res.needs_designation
        return UnitRef(text=name, unit=res.unit, group=res.group), sure

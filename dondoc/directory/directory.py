"""The Directory value: every unit of one city, its history, and the questions asked of it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from dondoc.directory import groups as g
from dondoc.directory import history, snapshot
from dondoc.directory.index import NameIndex, build_index
from dondoc.directory.model import (
    COMMUNE_KINDS,
    COMMUNE_OFFICE_KINDS,
    KIND_WORDS,
    Change,
    GroupInfo,
    OfficeType,
    Resolution,
    Unit,
)
from dondoc.directory.resolver import commune_of, resolve
from dondoc.directory.splitter import split_units
from dondoc.directory.text import fold, lower_first
from dondoc.kernel.units import office_of


def _matches(words: list[str], unit: Unit) -> bool:
    names = " ".join(fold(n) for n in (unit.code, unit.name, unit.area or "", *unit.aliases)).split()
    *whole, last = words
    # A prefix must stop before a letter: "giang" must not find "giàng" (folded "giang`").
    prefix = any(n == last or (n.startswith(last) and n[len(last)].isalnum()) for n in names)
    return prefix and all(w in names for w in whole)


class UnknownCode(KeyError):
    """No unit or group has this code."""


@dataclass(frozen=True)
class Directory:
    """An immutable directory of units; changes return a new Directory and keep the old names resolvable."""

    city: str
    units: tuple[Unit, ...]
    office_types: tuple[OfficeType, ...] = ()
    changes: tuple[Change, ...] = ()

    @cached_property
    def _by_code(self) -> dict[str, Unit]:
        return {unit.code: unit for unit in self.units}

    @cached_property
    def index(self) -> NameIndex:
        """The name index of this directory value (built on first use)."""
        return build_index(self.unit(self.city), self._by_code, self.office_types)

    def get(self, code: str) -> Unit | None:
        """Return the unit with this code, or None."""
        return self._by_code.get(code)

    def unit(self, code: str) -> Unit:
        """Return the unit with this code, or raise UnknownCode."""
        found = self._by_code.get(code)
        if found is None:
            raise UnknownCode(code)
        return found

    def list_units(self, kind: str | None = None, *, include_inactive: bool = False) -> list[Unit]:
        """Return the units, in directory order, optionally of one kind and including closed ones."""
        return [u for u in self.units if (kind is None or u.kind == kind) and (include_inactive or u.active)]

    def children(self, code: str) -> list[Unit]:
        """Return the active units whose parent is `code`."""
        return [u for u in self.units if u.parent == code and u.active]

    def offices(self, code: str) -> list[Unit]:
        """Return the active offices and coordinating bodies inside a commune-level unit."""
        return [u for u in self.children(code) if u.kind not in COMMUNE_KINDS]

    def members(self, code: str, context: str | None = None) -> list[str]:
        """Return the codes a group stands for, or the codes of a unit's direct sub-units."""
        if code.startswith(g.OFFICES) or code in (g.CITY_DEPARTMENTS, g.COMMUNES) or "+" in code:
            return self.expand(code, context)
        return [u.code for u in self.children(self.unit(code).code)]

    def expand(self, group: str, context: str | None = None) -> list[str]:
        """Return the unit codes a (possibly combined) group code stands for, in directory order."""
        codes: list[str] = []
        for part in g.parts(group):
            codes.extend(self._expand_one(part, context))
        return list(dict.fromkeys(codes))

    def _expand_one(self, group: str, context: str | None) -> list[str]:
        if group == g.CITY_DEPARTMENTS:
            return [
                u.code
                for u in self.list_units()
                if u.kind in g.CITY_DEPARTMENT_KINDS and u.confidence == "confirmed"
            ]
        if group == g.COMMUNES:
            return [u.code for u in self.units if u.kind in COMMUNE_KINDS and u.active]
        if group == g.OFFICES or group.startswith(g.OFFICES + ":"):
            commune = group.partition(":")[2] or commune_of(self, context)
            if commune is None or self.get(commune) is None:
                raise UnknownCode(group)
            return [u.code for u in self.offices(commune) if u.kind == "commune_office"]
        raise UnknownCode(group)

    def groups(self) -> list[GroupInfo]:
        """Return the groups of this directory with a Vietnamese label each."""
        found = [
            GroupInfo(g.CITY_DEPARTMENTS, "Các sở, ban, ngành thành phố"),
            GroupInfo(g.COMMUNES, "UBND các xã, phường, đặc khu"),
        ]
        for unit in self.units:
            # A code with the group joiner "+" (allowed before issue 14.17) cannot name its offices' group.
            if unit.kind in COMMUNE_KINDS and unit.active and "+" not in unit.code:
                label = f"Các phòng chuyên môn thuộc {unit.name}"
                found.append(GroupInfo(g.offices_group(unit.code), label))
        return found

    def search(self, query: str, limit: int = 20) -> list[Unit]:
        """Return active units whose names contain every word of the query (the last may be a prefix)."""
        words = fold(query).split()
        if not words:
            return []
        hits = [u for u in self.list_units() if _matches(words, u)]
        hits.sort(key=lambda u: (fold(u.name) != fold(query), u.kind in COMMUNE_OFFICE_KINDS, len(u.name)))
        return hits[:limit]

    def resolve(self, text: str, context: str | None = None) -> Resolution:
        """Resolve one unit name as written in a plan; see `dondoc.directory.resolver.resolve`."""
        return resolve(self, text, context)

    def split_units(self, text: str, context: str | None = None) -> list[Resolution]:
        """Split a cell naming several units; see `dondoc.directory.splitter.split_units`."""
        return split_units(self, text, context)

    def offices_for(self, commune: Unit, valid_from: date | None = None) -> list[Unit]:
        """Build the standard offices a commune-level unit of its kind has (not yet in the directory)."""
        offices = []
        where = lower_first(commune.area or commune.name)
        for office_type in self.office_types:
            if commune.kind not in office_type.applies_to:
                continue
            offices.append(
                Unit(
                    code=office_of(commune.code, office_type.suffix),
                    name=f"{office_type.name} {where}",
                    kind=office_type.kind,
                    parent=commune.code,
                    aliases=tuple(f"{a} {where}" for a in office_type.aliases),
                    valid_from=valid_from or commune.valid_from,
                    note=office_type.note,
                )
            )
        return offices

    def with_units(self, *units: Unit) -> Directory:
        """Return a copy with these units added, or replaced where the code already exists."""
        incoming = {u.code: u for u in units}
        kept = tuple(incoming.pop(u.code, u) for u in self.units)
        return replace(self, units=kept + tuple(incoming.values()))

    def recorded(self, change: Change) -> Directory:
        """Return a copy with one more change in its history."""
        return replace(self, changes=(*self.changes, change))

    def as_of(self, day: date) -> Directory:
        """Return the directory as it stood on `day`: units in force then, with their names then."""
        return history.as_of(self, day)

    def add(self, unit: Unit, effective: date) -> Directory:
        """Return a copy with `unit` added from `effective` (see `history.add`)."""
        return history.add(self, unit, effective)

    def rename(self, code: str, new_name: str, effective: date) -> Directory:
        """Return a copy with a unit renamed from `effective` (see `history.rename`)."""
        return history.rename(self, code, new_name, effective)

    def merge(self, codes: list[str], into: Unit | str, effective: date) -> Directory:
        """Return a copy with units merged into one successor on `effective` (see `history.merge`)."""
        return history.merge(self, codes, into, effective)

    def close(self, code: str, effective: date) -> Directory:
        """Return a copy with a unit closed on `effective` (see `history.close`)."""
        return history.close(self, code, effective)

    def kind_word(self, code: str) -> str:
        """Return "phường", "xã" or "đặc khu" for a commune-level unit."""
        return KIND_WORDS[self.unit(code).kind]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable snapshot of this directory."""
        return snapshot.directory_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Directory:
        """Rebuild a directory from `to_dict` output (validated)."""
        return snapshot.directory_from_dict(cls, data)

"""Lookup tables from folded names to unit codes, built once per Directory value."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from dondoc.directory.model import COMMUNE_KINDS, KIND_WORDS, OfficeType, Unit
from dondoc.directory.text import fold, skeleton
from dondoc.kernel.units import offices_prefix

# The commune itself, as its own plan calls it ("UBND phường", "Ủy ban nhân dân phường").
SELF = ""
Relative = tuple[str, str | None, tuple[str, ...]]
_COMMON_WORD = 150


@dataclass
class NameIndex:
    """Folded names → codes: global names, former names, and names relative to an issuing commune."""

    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    former: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # folded name → (office suffix or SELF, the kind word it carries or None, the kinds it is named for)
    relative: dict[str, set[Relative]] = field(default_factory=lambda: defaultdict(set))
    # folded bare office name → every office code of that type (for "which ward?" candidates)
    office_types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    city_suffixes: tuple[str, ...] = ()

    _by_word: dict[str, list[str]] = field(default_factory=dict)

    def keys_sharing_words(self, key: str) -> list[str]:
        """Return the global and former names sharing a distinctive word with `key` (suggestion pool).

        Words are compared without diacritics here, only to gather suggestions: "Xa Cam Giang" should
        suggest both Cẩm Giang and Cẩm Giàng. Nothing is ever resolved through this pool.
        """
        if not self._by_word:
            for name in (*self.names, *self.former):
                for word in set(skeleton(name).split()):
                    self._by_word.setdefault(word, []).append(name)
        # Words in hundreds of names ("phuong", "van", "phong") would pull every office into the pool.
        pools = [self._by_word.get(w, []) for w in set(skeleton(key).split())]
        distinctive = [pool for pool in pools if 0 < len(pool) <= _COMMON_WORD] or pools
        return list(dict.fromkeys(name for pool in distinctive for name in pool))


def _bare(area: str, kind: str) -> str:
    word = KIND_WORDS.get(kind, "")
    if word and area.lower().startswith(word + " "):
        return area[len(word) + 1 :]
    return area


def _city_suffixes(city: Unit) -> tuple[str, ...]:
    area = city.area or city.name
    forms = [area]
    for prefix in ("Thành phố ", "Tỉnh "):
        if area.startswith(prefix):
            forms += [area[len(prefix) :], prefix.strip()]
    return tuple(fold(f) for f in forms)


def _add_city(index: NameIndex, city: Unit) -> None:
    area = city.area or city.name
    for form in (city.name, area, f"UBND {area}", "UBND thành phố", "UBND tỉnh", *city.aliases):
        index.names[fold(form)].add(city.code)


def _commune_forms(unit: Unit) -> list[str]:
    area = unit.area or unit.name
    bare = _bare(area, unit.kind)
    return [area, bare, f"UBND {area}", f"Chính quyền {area}"]


def _add_offices(index: NameIndex, units: dict[str, Unit], types: tuple[OfficeType, ...]) -> None:
    by_suffix = defaultdict(list)
    for office_type in types:
        by_suffix[office_type.suffix].append(office_type)
        for name in (office_type.name, *office_type.aliases):
            index.relative[fold(name)].add((office_type.suffix, None, office_type.applies_to))
            for kind in office_type.applies_to:
                key = fold(f"{name} {KIND_WORDS[kind]}")
                index.relative[key].add((office_type.suffix, KIND_WORDS[kind], office_type.applies_to))
    for unit in units.values():
        parent = units.get(unit.parent or "")
        if (
            parent is None
            or parent.kind not in COMMUNE_KINDS
            or not unit.code.startswith(offices_prefix(parent.code))
        ):
            continue
        suffix = unit.code[len(parent.code) + 1 :]
        for office_type in by_suffix.get(suffix, []):
            if parent.kind not in office_type.applies_to:
                continue
            for name in (office_type.name, *office_type.aliases):
                if unit.active:
                    index.office_types[fold(name)].add(unit.code)
                for form in _commune_forms(parent)[:2]:
                    index.names[fold(f"{name} {form}")].add(unit.code)


def build_index(city: Unit, units: dict[str, Unit], types: tuple[OfficeType, ...]) -> NameIndex:
    """Build the name index of a directory's units."""
    index = NameIndex(city_suffixes=_city_suffixes(city))
    _add_city(index, city)
    for unit in units.values():
        if unit.kind == "city":
            continue
        forms = [unit.name, *unit.aliases]
        if unit.kind in COMMUNE_KINDS:
            forms += _commune_forms(unit)
        for form in forms:
            index.names[fold(form)].add(unit.code)
        for former in unit.former_names:
            index.former[fold(former)].add(unit.code)
    for word in KIND_WORDS.values():
        for form in (f"UBND {word}", word, f"Chính quyền {word}"):
            index.relative[fold(form)].add((SELF, word, COMMUNE_KINDS))
    index.relative[fold("UBND")].add((SELF, None, COMMUNE_KINDS))
    _add_offices(index, units, types)
    return index

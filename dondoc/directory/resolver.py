"""Resolve one unit name as a plan writes it to a unit code, a group code, or an honest "unknown"."""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import TYPE_CHECKING

from dondoc.directory import groups
from dondoc.directory.index import SELF
from dondoc.directory.model import COMMUNE_KINDS, KIND_WORDS, Resolution
from dondoc.directory.text import fold, written
from dondoc.kernel.units import office_of

if TYPE_CHECKING:
    from dondoc.directory.directory import Directory

_TRIM = " \t\r\n.,;:-–—•*+"
_MAX_CANDIDATES = 8


def clean(text: str) -> str:
    """Return a name as written, NFC, whitespace folded, without list bullets or trailing punctuation."""
    return written(text).strip(_TRIM)


def commune_of(directory: Directory, context: str | None) -> str | None:
    """Return the commune-level unit a context code belongs to (itself or an office's parent)."""
    unit = directory.get(context) if context else None
    while unit is not None and unit.kind not in COMMUNE_KINDS:
        unit = directory.get(unit.parent) if unit.parent else None
    return unit.code if unit is not None else None


def _units(directory: Directory, codes: set[str], legacy: bool = False) -> Resolution:
    """Follow merged or closed units to their successors; more than one code is ambiguous."""
    final: set[str] = set()
    for code in codes:
        unit = directory.get(code)
        seen = {code}
        while unit is not None and not unit.active and unit.successors:
            legacy = True
            if len(unit.successors) > 1:
                final.update(unit.successors)
                unit = None
                break
            unit = directory.get(unit.successors[0])
            if unit is None or unit.code in seen:
                break
            seen.add(unit.code)
        if unit is not None:
            legacy = legacy or not unit.active
            final.add(unit.code)
    if len(final) == 1:
        return Resolution(text="", unit=final.pop(), legacy=legacy)
    return Resolution(text="", candidates=tuple(sorted(final)), legacy=legacy)


def _relative(directory: Directory, key: str, commune: str) -> Resolution | None:
    unit = directory.get(commune)
    if unit is None:
        return None
    word = KIND_WORDS[unit.kind]
    entries = sorted(directory.index.relative.get(key, set()), key=lambda e: (unit.kind not in e[2], str(e)))
    for suffix, kind_word, kinds in entries:
        if kind_word not in (None, word):
            continue
        code = commune if suffix == SELF else office_of(commune, suffix)
        if directory.get(code) is not None:
            # "Phòng Kinh tế" in a ward's plan: the ward's economic office, but named as a commune's.
            return replace(_units(directory, {code}), uncertain=unit.kind not in kinds)
    return None


def _group(directory: Directory, key: str, commune: str | None) -> Resolution | None:
    if groups.needs_designation(key):
        return Resolution(text="", needs_designation=True)
    if groups.means_offices(key):
        if commune is None:
            return Resolution(text="", needs_context=True)
        return Resolution(text="", group=groups.offices_group(commune))
    found = groups.phrase_table().get(key)
    if found is None:
        return None
    code, uncertain = found
    if uncertain and commune is not None:
        # A ward's own plan saying "chính quyền địa phương" most likely means the ward itself.
        return Resolution(text="", candidates=(commune,), uncertain=True)
    return Resolution(text="", group=code, uncertain=uncertain)


def _exact(directory: Directory, key: str, commune: str | None) -> Resolution | None:
    index = directory.index
    found = _group(directory, key, commune)
    if found is None and commune is not None:
        found = _relative(directory, key, commune)
    if found is None and key in index.names:
        found = _units(directory, index.names[key])
    if found is None and key in index.former:
        found = _units(directory, index.former[key], legacy=True)
    if found is None and key in index.office_types:
        found = Resolution(text="", needs_context=True, candidates=tuple(sorted(index.office_types[key])))
    return found


def match(directory: Directory, key: str, context: str | None) -> Resolution | None:
    """Return what a folded name means, or None when it is not a known name (text left empty)."""
    if not key:
        return None
    commune = commune_of(directory, context)
    found = _exact(directory, key, commune)
    for suffix in directory.index.city_suffixes:
        if found is None and key.endswith(" " + suffix):
            found = _exact(directory, key[: -len(suffix) - 1], commune)
    return found


def _close_names(directory: Directory, key: str) -> tuple[str, ...]:
    index = directory.index
    codes: list[str] = []
    for near in difflib.get_close_matches(
        key, index.keys_sharing_words(key), n=_MAX_CANDIDATES * 2, cutoff=0.75
    ):
        for code in sorted(index.names.get(near, set()) | index.former.get(near, set())):
            if code not in codes:
                codes.append(code)
    return tuple(codes[:_MAX_CANDIDATES])


def _combined_groups(directory: Directory, text: str, context: str | None) -> Resolution | None:
    from dondoc.directory.splitter import split_units

    pieces = split_units(directory, text, context)
    if len(pieces) < 2 or any(p.group is None for p in pieces):
        return None
    codes = [part for p in pieces if p.group for part in groups.parts(p.group)]
    return Resolution(
        text="", group="+".join(dict.fromkeys(codes)), uncertain=any(p.uncertain for p in pieces)
    )


def resolve(
    directory: Directory, text: str, context: str | None = None, *, combine: bool = True
) -> Resolution:
    """Resolve one name; ambiguous or unknown names come back unresolved with close candidates."""
    shown = clean(text)
    key = fold(shown)
    found = match(directory, key, context)
    if found is None and combine:
        found = _combined_groups(directory, shown, context)
    if found is not None:
        return replace(found, text=shown)
    if key.startswith(fold("Bộ") + " "):
        # A ministry ("Bộ Tư pháp") is outside the city's directory: recognised, never matched to a Sở.
        return Resolution(text=shown, external=True)
    return Resolution(text=shown, candidates=_close_names(directory, key))

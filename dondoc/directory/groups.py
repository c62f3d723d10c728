"""Collective names ("Các sở, ban, ngành", "UBND cấp xã", "Các phòng chuyên môn") and their members.

Group codes:
- ``G.CITY_DEPARTMENTS`` ("các sở, ban, ngành"): every active, confirmed specialised agency of the
  city People's Committee (kind ``department``: the Sở, Văn phòng UBND and Thanh tra, Decree 45/2025)
  and every board under it (kind ``board``: the "ban", e.g. Ban Quản lý Khu kinh tế). Councils, the
  People's Council's own office and coordinating bodies (police, military, Fatherland Front,
  associations) are left out: plans name them one by one when they mean them; an unconfirmed
  department may not exist in the merged city, so assigning it work would invent a unit.
- ``G.COMMUNES``: every active commune-level People's Committee (phường, xã, đặc khu).
- ``G.OFFICES:<commune code>``: the offices of one commune-level committee (kind ``commune_office``;
  the police, military command and Fatherland Front are coordinating bodies, not "phòng chuyên môn").
- A combination joins group codes with ``+`` in the order written, e.g.
  ``G.CITY_DEPARTMENTS+G.COMMUNES``; it expands to the union.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dondoc.directory.text import fold

CITY_DEPARTMENTS = "G.CITY_DEPARTMENTS"
COMMUNES = "G.COMMUNES"
OFFICES = "G.OFFICES"
CITY_DEPARTMENT_KINDS = ("department", "board")

_DEPARTMENT_PHRASES = (
    "Các sở, ban, ngành",
    "Sở, ban, ngành",
    "Các sở, ban, ngành của thành phố",
    "Các sở, ngành",
    "Các sở ban ngành thành phố",
    "Các cơ quan chuyên môn thuộc UBND thành phố",
)
_COMMUNE_PHRASES = (
    "UBND cấp xã",
    "Chính quyền cấp xã",
    "Chính quyền địa phương cấp xã",
    "UBND các xã, phường, đặc khu",
    "UBND các phường, xã, đặc khu",
    "UBND các xã, phường",
    "UBND các phường, xã",
    "Các xã, phường, đặc khu",
    "Các phường, xã, đặc khu",
)
# These usually mean the communes in a city plan, but can mean any local authority: flagged.
_UNCERTAIN_COMMUNE_PHRASES = (
    "Chính quyền địa phương",
    "Các địa phương",
    "Địa phương",
    "Chính quyền cơ sở",
)
_OFFICE_WORDS = (
    "chuyên môn",
    "ban",
    "đơn vị",
    "cơ quan",
    "thuộc",
    "trực thuộc",
    "UBND",
    "phường",
    "xã",
    "đặc khu",
)
_DESIGNATION_WORDS = ("cơ quan", "đơn vị", "tổ chức", "cá nhân", "ban", "ngành", "địa phương")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _designation_re() -> re.Pattern[str]:
    words = _alternation(_DESIGNATION_WORDS)
    tail = f"(?: {re.escape(fold('khác'))})?(?: {re.escape(fold('có'))})? {re.escape(fold('liên quan'))}"
    return re.compile(f"^(?:{re.escape(fold('các'))} )?(?:{words})(?: (?:{words}))*{tail}$")


@lru_cache(maxsize=1)
def _offices_re() -> re.Pattern[str]:
    return re.compile(f"^{re.escape(fold('các phòng'))}(?: (?:{_alternation(_OFFICE_WORDS)}))*$")


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, tuple[str, bool]]:
    """Map each folded collective phrase to (group code, uncertain)."""
    table: dict[str, tuple[str, bool]] = {}
    for phrase in _DEPARTMENT_PHRASES:
        table[fold(phrase)] = (CITY_DEPARTMENTS, False)
    for phrase in _COMMUNE_PHRASES:
        table[fold(phrase)] = (COMMUNES, False)
    for phrase in _UNCERTAIN_COMMUNE_PHRASES:
        table[fold(phrase)] = (COMMUNES, True)
    combined = f"{CITY_DEPARTMENTS}+{COMMUNES}"
    for department in _DEPARTMENT_PHRASES:
        for commune in _COMMUNE_PHRASES:
            table[fold(f"{department} và {commune}")] = (combined, False)
            table[fold(f"{commune} và {department}")] = (f"{COMMUNES}+{CITY_DEPARTMENTS}", False)
    return table


def needs_designation(key: str) -> bool:
    """Tell whether a folded name means "the units concerned", which a person must designate."""
    return _designation_re().match(key) is not None


def means_offices(key: str) -> bool:
    """Tell whether a folded name means all offices of the issuing commune-level unit."""
    return _offices_re().match(key) is not None


def offices_group(commune: str) -> str:
    """Return the group code of one commune-level unit's offices."""
    return f"{OFFICES}:{commune}"


def parts(group: str) -> list[str]:
    """Split a (possibly combined) group code into its single group codes."""
    return [part for part in group.split("+") if part]

"""A unit and its offices: codes `<unit>.<office>` ("11407.VP" is ward 11407's Văn phòng HĐND và UBND).

A ward acts for its offices (its key, its people, its inbox, its work list), and an office reports
through its ward. The rule in Python is here; as a SQL condition, `dondoc.platform.units.unit_or_offices`.
"""

from __future__ import annotations

from typing import Final

OFFICE_SEPARATOR: Final = "."
VAN_PHONG: Final = "VP"  # the suffix of a commune-level unit's Văn phòng HĐND và UBND ("11407.VP")


def ward_of(unit: str) -> str:
    """The unit an office belongs to (codes `<unit>.<office>`), or the unit itself."""
    return unit.split(OFFICE_SEPARATOR, 1)[0]


def office_of(unit: str, office: str) -> str:
    """The code of one of a unit's offices."""
    return f"{unit}{OFFICE_SEPARATOR}{office}"


def offices_prefix(unit: str) -> str:
    """What every one of the unit's offices' codes starts with."""
    return unit + OFFICE_SEPARATOR


def within(unit: str, holder: str) -> bool:
    """Whether `unit` is `holder` itself or one of its offices."""
    return unit == holder or unit.startswith(offices_prefix(holder))

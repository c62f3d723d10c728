"""Unit types, their labels and the order units appear in a report."""

from __future__ import annotations

from collections.abc import Mapping

from services.reporting.domain.inputs import Unit, UnitKind
from services.reporting.domain.vi import vi_sort_key

KIND_ORDER: tuple[UnitKind, ...] = ("department", "phuong", "xa", "dac_khu", "other")
KIND_LABELS: dict[UnitKind, str] = {
    "department": "Sở, ban, ngành",
    "phuong": "Phường",
    "xa": "Xã",
    "dac_khu": "Đặc khu",
    "other": "Cơ quan, đơn vị khác",
}
WARD_KINDS: frozenset[UnitKind] = frozenset({"phuong", "xa", "dac_khu"})


def unit_sort_key(unit: Unit) -> tuple[object, ...]:
    """City departments first, then wards, communes, special zones; alphabetical inside each."""
    return (KIND_ORDER.index(unit.kind), vi_sort_key(unit.name), unit.code)


def find_unit(units: Mapping[str, Unit], code: str) -> Unit:
    """The unit for a code; an unknown code still shows up (by its code) rather than vanish."""
    return units.get(code) or Unit(code=code, name=code, kind="other")

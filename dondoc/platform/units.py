"""A unit or its offices, as a SQL condition: the store's side of `dondoc.kernel.units.within`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_

from dondoc.kernel.units import offices_prefix


def unit_or_offices(column: Any, unit: str) -> ColumnElement[bool]:
    """`column` (a unit code column) is `unit` itself or one of its offices (`<unit>.<office>`)."""
    return or_(column == unit, column.startswith(offices_prefix(unit), autoescape=True))

"""A task table whose header is lost: its columns read by their content (numbers, unit names, times, text)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .blocks import Table, clean
from .labels import Role
from .table_tasks import Header
from .timeframe import interpret
from .unit_split import HEADS, split_units

_REF = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_UNIT = re.compile(r"^(?:(?:Đề nghị|Giao)\s+)?(?:(?:Các|các)\s+|(?:" + HEADS + r")(?:\s|,|$))")


def columns_by_content(table: Table) -> Header | None:
    """Roles guessed from what the columns hold, when no header names them; None unless a title and a lead."""
    rows = [r for r in table.rows if sum(1 for c in r if clean(c)) >= 3]
    width = max((len(r) for r in rows), default=0)
    if len(rows) < 2 or width < 3:
        return None
    columns = [[clean(r[i]) for r in rows if i < len(r) and clean(r[i])] for i in range(width)]
    refs = [_share(col, lambda c: _REF.match(c) is not None) for col in columns]
    units = [_share(col, lambda c: bool(_UNIT.match(c) and split_units(c))) for col in columns]
    times = [
        _share(col, lambda c: interpret(c).kind != "unspecified" and len(c.split()) <= 12) for col in columns
    ]
    words = [sum(len(c.split()) for c in col) / max(len(col), 1) for col in columns]
    roles: dict[int, Role] = {}
    ref = next((i for i in range(width) if refs[i] >= 0.6), None)
    if ref is not None:
        roles[ref] = "ref"
    texts = [i for i in range(width) if i not in roles and units[i] < 0.5 and times[i] < 0.5]
    if not texts:
        return None
    title = max(texts, key=lambda i: words[i])
    roles[title] = "title"
    unit_columns = [i for i in range(width) if i not in roles and units[i] >= 0.5]
    unit_roles: tuple[Role, ...] = ("lead", "coordinating")
    for role, i in zip(unit_roles, unit_columns, strict=False):
        roles[i] = role
    time = next((i for i in range(width) if i not in roles and times[i] >= 0.5), None)
    if time is not None:
        roles[time] = "timeframe"
    if "lead" not in roles.values() or (ref is None and len(rows) < 3):
        return None
    return Header(row=-1, offset=0, roles=roles)


def looks_numbered(table: Table) -> bool:
    """A table whose rows are numbered like tasks (so that reading nothing from it deserves a warning)."""
    numbered = [r for r in table.rows if r and _REF.match(clean(r[0])) and len(r) >= 3]
    return len(numbered) >= 3


def _share(column: list[str], test: Callable[[str], bool]) -> float:
    if not column:
        return 0.0
    return sum(1 for c in column if test(c)) / len(column)

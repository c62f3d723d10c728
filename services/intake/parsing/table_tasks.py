"""Task tables ("TT | Tên nhiệm vụ | Cơ quan chủ trì | ..."): header found by meaning, spills rejoined."""

from __future__ import annotations

import re

from .blocks import Table, clean
from .labels import Role, header_role
from .markers import roman_value
from .task_fields import RawTask

_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_REF = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3})*)\.?$")
_GROUP_REF = re.compile(r"^(?P<n>[IVX]{1,5}|[A-Z])\.?$")


def header_columns(table: Table) -> tuple[int, dict[int, Role]] | None:
    """The header row's index and each column's role, when the table lists tasks."""
    for index, row in enumerate(table.rows[:6]):
        roles = {i: r for i, cell in enumerate(row) if (r := header_role(cell)) is not None}
        if "title" in roles.values() and len(set(roles.values()) - {"title", "note"}) >= 2:
            below = table.rows[index + 1] if index + 1 < len(table.rows) else ()
            sub = {i: r for i, cell in enumerate(below) if (r := header_role(cell)) is not None}
            if sub and not any(_REF.match(c) for c in below[:1]):
                roles.update(sub)  # a two-row header: "Cơ quan thực hiện" over "Chủ trì | Phối hợp"
                index += 1
            return index, roles
    return None


def table_tasks(table: Table, prefix: str) -> list[RawTask] | None:
    """The tasks a table lists, or None when it is not a task table."""
    found = header_columns(table)
    if found is None:
        return None
    start, roles = found
    column = {role: i for i, role in sorted(roles.items(), reverse=True)}
    tasks: list[RawTask] = []
    group: str | None = None
    for row in table.rows[start + 1 :]:
        cells = {role: _cell(row, i, role) for role, i in column.items()}
        texts = [c for c in dict.fromkeys(clean(c) for c in row) if c]
        if not texts or all(_COLUMN_NUMBERS.match(t) for t in texts):
            continue
        ref = cells.get("ref", "")
        if _is_group(ref, cells, texts):
            group = clean(
                re.sub(r"^[IVX]{1,5}\s*[.)]\s*", "", " ".join(texts if len(texts) == 1 else texts[1:]))
            )
            continue
        m = _REF.match(ref)
        if (
            m
            or (not ref and tasks == [] and cells.get("title"))
            or ("ref" not in column and _opens_task(cells))
        ):
            number = m["n"] if m else str(len(tasks) + 1)
            tasks.append(RawTask(ref=f"{prefix}.{number}", title=cells.get("title", ""), group=group))
            for role in ("lead", "coordinating", "output", "timeframe"):
                setattr(tasks[-1], role, cells.get(role) or None)
            continue
        if tasks:
            _extend(tasks[-1], cells)
    return [t for t in tasks if t.title]


def _cell(row: tuple[str, ...], i: int, role: Role) -> str:
    text = row[i] if i < len(row) else ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # Units listed one per line in a cell are separate units; other cells are one text.
    return "; ".join(lines) if role in ("lead", "coordinating") else " ".join(lines)


def _is_group(ref: str, cells: dict[Role, str], texts: list[str]) -> bool:
    if _GROUP_REF.match(ref) and (ref[:1] != "I" or roman_value(ref.rstrip(".")) is not None):
        return not (cells.get("lead") or cells.get("timeframe"))
    return not ref and len(texts) == 1 and re.match(r"^[IVX]{1,5}\s*[.)]\s", texts[0]) is not None


def _opens_task(cells: dict[Role, str]) -> bool:
    title = cells.get("title", "")
    return bool(title) and title[:1].isupper() and bool(cells.get("lead") or cells.get("timeframe"))


def _extend(task: RawTask, cells: dict[Role, str]) -> None:
    """A row without a number continues the task above: a cell spilled onto the next line or page."""
    for role in ("title", "lead", "coordinating", "output", "timeframe"):
        extra = cells.get(role)
        if extra:
            before = getattr(task, role) or ""
            joiner = "; " if role in ("lead", "coordinating") and before else " "
            setattr(task, role, (before + joiner + extra).strip())

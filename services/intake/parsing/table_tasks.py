"""Task tables ("TT | Tên nhiệm vụ | Cơ quan chủ trì | ..."): header found by meaning, rows classified.

Rows are header, repeated header (a page break), group (one text cell, or a Roman numeral without a lead),
task (a number, or a title with a lead) or continuation (a cell spilled onto the next line or page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Table, clean
from .labels import Role, header_role
from .markers import roman_value
from .task_fields import RawTask

_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_REF = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3})*)\.?$")
_GROUP_REF = re.compile(r"^(?P<n>[IVX]{1,5}|[A-Z])\.?$")
_GROUP_TEXT = re.compile(r"^(?P<n>[IVX]{1,5}|[A-Z])\s*[.)]\s+(?P<rest>\S.*)$")
_FIELD_ROW = re.compile(r"^[^\d:]{2,30}:$")
_LEADER = re.compile(r"^[\s.…·_-]{6,}$")


@dataclass(frozen=True)
class Header:
    """Where a task table's header sits: its row, the first column it covers, and each column's role."""

    row: int
    offset: int
    roles: dict[int, Role]


def header_columns(table: Table) -> Header | None:
    """The header row and each column's role, when the table lists tasks (a title and a lead at least)."""
    for index, row in enumerate(table.rows[:12]):
        roles = {i: r for i, cell in enumerate(row) if (r := header_role(cell)) is not None}
        if "title" not in roles.values() or not ({"lead", "coordinating"} & set(roles.values())):
            continue
        offset = _first_header_cell(row, roles)
        below = table.rows[index + 1] if index + 1 < len(table.rows) else ()
        sub = {i: r for i, cell in enumerate(below) if (r := header_role(cell)) is not None}
        if sub and not any(_REF.match(c) for c in below[:1]) and len(sub) >= 2:
            roles.update(sub)  # a two-row header: "Cơ quan thực hiện" over "Chủ trì | Phối hợp"
            index += 1
        return Header(index, offset, {i - offset: r for i, r in roles.items() if i >= offset})
    return None


def _first_header_cell(row: tuple[str, ...], roles: dict[int, Role]) -> int:
    """A header fused after other text on one line (a saved web page) starts at its "TT" or first role."""
    first = min(roles)
    if first > 0 and re.match(r"^(?:s[ốo]\s*)?(?:tt|stt)\.?$", clean(row[first - 1]).lower()):
        first -= 1
    return first if any(len(clean(c).split()) > 12 for c in row[:first]) else 0


def leading_text(table: Table, header: Header) -> list[str]:
    """Cells that sit before the header: layout rows above it and text fused in front of it on its line."""
    if header.row < 0:
        return []  # columns read by their content: no header, nothing before it
    out = [c for row in table.rows[: header.row] for c in row if clean(c)]
    out.extend(c for c in table.rows[header.row][: header.offset] if clean(c))
    return out


def table_tasks(
    table: Table, prefix: str, default_time: str | None = None, header: Header | None = None
) -> list[RawTask] | None:
    """The tasks a table lists, or None when it is not a task table."""
    header = header or header_columns(table)
    if header is None:
        return None
    column = {role: i for i, role in sorted(header.roles.items(), reverse=True)}
    header_row = table.rows[header.row][header.offset :] if header.row >= 0 else ()
    header_cells = {clean(c).lower() for c in header_row if clean(c)}
    tasks: list[RawTask] = []
    numbers: list[tuple[str | None, str]] = []
    group: str | None = None
    group_no: str | None = None
    for row in _rows(table.rows[header.row + 1 :]):
        cells = {role: _cell(row, i, role) for role, i in column.items()}
        texts = [c for c in dict.fromkeys(clean(c) for c in row) if c]
        if not texts or all(_COLUMN_NUMBERS.match(t) for t in texts):
            continue
        if sum(1 for t in texts if t.lower() in header_cells) >= 2:
            continue  # the header repeated after a page break
        if _FIELD_ROW.match(texts[0]) and len(texts) >= 2:
            break  # "Địa chỉ: | … | Điện thoại: | …": text after the table, not a row of it
        ref = cells.get("ref", "")
        if _is_group(ref, cells, texts):
            group_no, group = _group(ref, texts)
            continue
        m = _REF.match(ref)
        if m or (not ref and cells.get("title") and (not tasks or _opens_task(cells))):
            number = m["n"] if m else str(len(tasks) + 1)
            tasks.append(RawTask(ref=number, title=cells.get("title", ""), group=group))
            numbers.append((group_no, number))
            for role in ("lead", "coordinating", "output", "timeframe"):
                setattr(tasks[-1], role, cells.get(role) or None)
            if "timeframe" not in column and default_time:
                tasks[-1].timeframe = default_time
            continue
        if tasks:
            _extend(tasks[-1], cells)
    restarts = len({n for _, n in numbers}) < len(numbers)
    for task, (g, n) in zip(tasks, numbers, strict=True):
        task.ref = f"{prefix}.{g or '?'}.{n}" if restarts else f"{prefix}.{n}"
    return [t for t in tasks if t.title]


def _rows(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Rows realigned to the header, with rows run together across a dotted leader split apart."""
    out: list[tuple[str, ...]] = []
    for row in rows:
        current: list[str] = []
        for cell in row:
            if _LEADER.match(cell) and current:
                out.append(tuple(current))
                current = []
                continue
            current.append(cell)
        if current:
            out.append(tuple(current))
    return out


def _cell(row: tuple[str, ...], i: int, role: Role) -> str:
    text = row[i] if 0 <= i < len(row) else ""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # Units listed one per line in a cell are separate units; other cells are one text.
    return "; ".join(lines) if role in ("lead", "coordinating") else " ".join(lines)


def _is_group(ref: str, cells: dict[Role, str], texts: list[str]) -> bool:
    if _GROUP_REF.match(ref) and (ref[:1] not in "IVX" or roman_value(ref.rstrip(".")) is not None):
        return not (cells.get("lead") or cells.get("timeframe"))
    # A one-cell row inside a task table heads a group.
    return len(texts) == 1 and not _REF.match(texts[0])


def _group(ref: str, texts: list[str]) -> tuple[str | None, str]:
    text = " ".join(texts if len(texts) == 1 else texts[1:])
    m = _GROUP_TEXT.match(text)
    if m:
        return m["n"], clean(m["rest"])
    number = ref.rstrip(".") if _GROUP_REF.match(ref) else None
    return number, clean(text)


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

"""Fixed-pitch PDF pages (pdftotext -fixed) → text where task tables come back as tab-separated rows.

Columns are aligned by spaces, but a page's left margin may differ from the next one's, so the column
positions found in a table's header are re-aligned on every page before cells are cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import header_role

_SEGMENT = re.compile(r"\S+(?: \S+)*")
_REF = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.?)$")


@dataclass
class _Table:
    columns: list[int]
    rows: list[list[list[str]]] = field(default_factory=list)

    def cells_of(self, line: str, shift: int) -> list[list[str]]:
        cells: list[list[str]] = [[] for _ in self.columns]
        for start, text in _segments(line):
            cells[self.column_at(start + shift)].append(text)
        return cells

    def column_at(self, pos: int) -> int:
        index = 0
        for i, col in enumerate(self.columns):
            if pos >= col - 2:
                index = i
        return index

    def render(self) -> list[str]:
        return ["\t".join(_join(parts) for parts in row) for row in self.rows]


def _segments(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m[0]) for m in _SEGMENT.finditer(line)]


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        glue = "" if re.search(r"\w-$", out) and part[:1].isupper() else " "
        out = (out + glue + part).strip() if out else part
    return out


def layout_to_text(pages: list[str]) -> str:
    """Join pages into one text; table regions become tab-separated rows."""
    out: list[str] = []
    table: _Table | None = None
    for page in pages:
        lines = page.split("\n")
        shift: int | None = None
        i = 0
        while i < len(lines):
            line = lines[i]
            header = _header(lines, i)
            if header is not None:
                if table is None:
                    table = _Table(header[0])
                    table.rows.append(header[1])
                shift, i = 0 if table.columns == header[0] else _shift(lines[i:], table.columns), header[2]
                continue
            if table is None or not line.strip():
                if table is None:
                    out.append(re.sub(r" {2,}", " ", line.strip()))
                i += 1
                continue
            if shift is None:
                shift = _shift(lines[i:], table.columns)
            if _spans_columns(line, table, shift):
                out.extend(["", *table.render(), ""])
                table = None
                continue
            _add_line(table, table.cells_of(line, shift))
            i += 1
    if table is not None:
        out.extend(["", *table.render(), ""])
    return "\n".join(out)


def _add_line(table: _Table, cells: list[list[str]]) -> None:
    first = " ".join(cells[0])
    if _REF.match(first) or not table.rows:
        table.rows.append(cells)
        return
    for target, extra in zip(table.rows[-1], cells, strict=False):
        target.extend(extra)


def _header(lines: list[str], i: int) -> tuple[list[int], list[list[str]], int] | None:
    """A table header starting at line i: its column starts, its cell texts, and the next line's index."""
    segments = _segments(lines[i])
    if len(segments) < 3:
        return None
    end = i + 1
    while end < len(lines) and end < i + 8:
        segs = _segments(lines[end])
        if segs and _REF.match(segs[0][1]):
            break
        end += 1
    # A two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") adds the columns its second row opens.
    starts = sorted({start for line in lines[i:end] for start, _ in _segments(line)})
    columns = [c for k, c in enumerate(starts) if k == 0 or c - starts[k - 1] > 2]
    table = _Table(columns)
    cells: list[list[str]] = [[] for _ in columns]
    for j in range(i, end):
        for k, parts in enumerate(table.cells_of(lines[j], 0)):
            cells[k].extend(parts)
    j = end
    roles = [header_role(_join(c)) for c in cells]
    if "title" not in roles or len({r for r in roles if r not in (None, "title", "note")}) < 2:
        return None
    return columns, cells, j


def _shift(lines: list[str], columns: list[int]) -> int:
    """How far this page's margin trimming moved the table: the offset that lands most text on columns."""
    segments = [seg for line in lines[:25] for seg in _segments(line)]
    if not segments:
        return 0
    candidates = {col - min(s for s, _ in segments) for col in columns}

    def fit(d: int) -> tuple[int, int]:
        # Layout mode's grid drifts a little across a page: allow slack. Only numbers sit in the TT column.
        hits = sum(
            any(abs(s + d - c) <= 3 for c in columns)
            and (abs(s + d - columns[0]) > 3 or _REF.match(t) is not None)
            for s, t in segments
        )
        return hits, -abs(d)

    return max(candidates, key=fit)


def _spans_columns(line: str, table: _Table, shift: int) -> bool:
    """Prose after the table runs across column borders."""
    for start, text in _segments(line):
        k = table.column_at(start + shift)
        if k + 1 < len(table.columns) and start + shift + len(text) > table.columns[k + 1] + 1:
            return True
    return False

"""DOCX: body paragraphs and tables in document order, numbered lists rendered, merged cells once."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, cast

from .blocks import Block, Para, Table, clean
from .errors import DocumentError
from .limits import MAX_UNZIPPED_BYTES, MAX_XML_DEPTH, MAX_ZIP_ENTRIES

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.parts.document import DocumentPart
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_UNREADABLE = (
    "Không mở được tệp DOCX (tệp hỏng hoặc không đúng định dạng Word). "
    "Vui lòng lưu lại bằng Word rồi tải lên."
)


def check_zip(data: bytes) -> None:
    """Refuse zip bombs before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise DocumentError(
                    "unreadable", "Tệp DOCX chứa quá nhiều thành phần, không thể đọc an toàn."
                )
            if sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                raise DocumentError(
                    "too_large", "Tệp DOCX khi giải nén quá lớn (trên 100 MB), không thể đọc."
                )
            if "word/document.xml" not in archive.namelist():
                raise DocumentError("unreadable", _UNREADABLE)
            xml = archive.read("word/document.xml")
    except zipfile.BadZipFile:
        raise DocumentError("unreadable", _UNREADABLE) from None
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:65536]:
        raise DocumentError("unreadable", "Tệp DOCX chứa khai báo XML không được phép.")
    if _max_depth(xml) > MAX_XML_DEPTH:
        raise DocumentError("unreadable", "Cấu trúc tệp DOCX lồng nhau quá sâu, không thể đọc an toàn.")


def _max_depth(xml: bytes) -> int:
    """Element nesting depth, counted on the raw bytes so no parser recurses into a hostile file."""
    depth = deepest = 0
    for m in re.finditer(rb"<(/?)[A-Za-z][^<>]*?(/?)>", xml):
        if m[1]:
            depth -= 1
        elif not m[2]:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def read_docx(data: bytes) -> list[Block]:
    """Paragraphs and tables of a .docx in body order."""
    check_zip(data)
    import docx  # imported here: the CLI stays fast for text files

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on corrupt parts
        raise DocumentError("unreadable", _UNREADABLE) from exc
    return _blocks(document)


def _blocks(document: DocxDocument) -> list[Block]:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    numbering = _Numbering()
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = clean(item.text)
            if text:
                blocks.append(Para(clean(numbering.label(item) + text)))
        elif isinstance(item, DocxTable):
            blocks.append(_table(item))
    return blocks


def _table(table: DocxTable) -> Table:
    rows: list[tuple[str, ...]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell repeats in row.cells: keep its place, once
                cells.append("")
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(clean(p.text) for p in cell.paragraphs if clean(p.text)))
        rows.append(tuple(cells))
    return Table(tuple(rows))


class _Numbering:
    """Renders automatic list numbers ("1.", "a)", "-") that python-docx leaves out of paragraph text."""

    def __init__(self) -> None:
        self.counters: dict[tuple[str, int], int] = {}

    def label(self, paragraph: Paragraph) -> str:
        # Read from the XML itself: python-docx's types declare these children through untyped descriptors.
        num_pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        num_id_el = num_pr.find(f"{_W}numId") if num_pr is not None else None
        if num_pr is None or num_id_el is None:
            return ""
        num_id = str(num_id_el.get(f"{_W}val"))
        ilvl = num_pr.find(f"{_W}ilvl")
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        fmt, text = _level_format(paragraph, num_id, level)
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        for nid, lvl in list(self.counters):
            if nid == num_id and lvl > level:
                del self.counters[(nid, lvl)]
        return _render(fmt, text, self.counters[key]) + " "


def _level_format(paragraph: Paragraph, num_id: str, level: int) -> tuple[str, str]:
    try:
        numbering = cast("DocumentPart", paragraph.part).numbering_part.element  # a body paragraph's part
    except (AttributeError, KeyError, NotImplementedError):
        return "decimal", "%1."
    abstract_id = None
    for num in numbering.findall(f"{_W}num"):
        if num.get(f"{_W}numId") == num_id:
            ref = num.find(f"{_W}abstractNumId")
            abstract_id = ref.get(f"{_W}val") if ref is not None else None
    for abstract in numbering.findall(f"{_W}abstractNum"):
        if abstract.get(f"{_W}abstractNumId") != abstract_id:
            continue
        for lvl in abstract.findall(f"{_W}lvl"):
            if lvl.get(f"{_W}ilvl") == str(level):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                return (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                )
    return "decimal", "%1."


def _render(fmt: str, pattern: str, n: int) -> str:
    if fmt == "bullet":
        return "-"
    if fmt == "lowerLetter":
        value = "abcdđeghiklmnopqrstuvxy"[(n - 1) % 23]
    elif fmt == "upperRoman":
        value = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][(n - 1) % 10]
    else:
        value = str(n)
    return re.sub(r"%\d", value, pattern, count=1)

"""Plain text, including text extracted from PDFs: broken lines, page debris, tab-separated tables."""

from __future__ import annotations

import re
import statistics
import unicodedata

from .blocks import Block, Para, Table, clean
from .errors import DocumentError
from .markers import starts_block

_PAGE_DEBRIS = re.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", re.IGNORECASE)
_RULE = re.compile(r"^\s*[-_=.*…]{3,}\s*$")
_STRAY_SLASH = re.compile(r"(?<=\d)\s*/\s+(?=\d)|(?<=\d)\s+/\s*(?=\d)")
_SENTENCE_END = (".", ";", ":", "!", "?", ")")
# Capitalised at the start of a line these open a paragraph (preamble, closing), never continue one.
_OPENERS = re.compile(r"^(?:Căn cứ|Thực hiện|Để|Nhằm|Trên cơ sở|Trên đây|Nơi nhận|Kính gửi)\b")


def decode(data: bytes) -> str:
    """Bytes to NFC text; binary data is refused rather than guessed at."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DocumentError(
                "unsupported_type",
                "Tệp không phải văn bản chữ (UTF-8), DOCX hay"
                " PDF. Vui lòng tải lên tệp .docx, .pdf hoặc .txt.",
            ) from None
    controls = sum(1 for ch in text[:20000] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:20000]) // 100):
        raise DocumentError("unsupported_type", "Tệp có vẻ là dữ liệu nhị phân, không phải văn bản.")
    return unicodedata.normalize("NFC", text)


def text_to_blocks(text: str) -> list[Block]:
    """Split extracted text into paragraphs and tables."""
    lines = _clean_lines(text)
    blocks: list[Block] = []
    prose: list[str] = []
    rows: list[tuple[str, ...]] = []
    for n, line in enumerate(lines):
        if rows and _one_cell_row(lines, n):
            rows.append((clean(line),))  # a group row inside a table: in text it has no tab
            continue
        if "\t" in line and line.strip("\t ") and (rows or line.count("\t") >= 2):
            if prose:
                blocks.extend(_join_lines(prose))
                prose = []
            rows.append(tuple(clean(cell) for cell in line.split("\t")))
            continue
        if rows and not line.strip():
            continue  # blank lines between table rows
        if rows:
            blocks.append(Table(tuple(rows)))
            rows = []
        prose.append(line)
    if rows:
        blocks.append(Table(tuple(rows)))
    blocks.extend(_join_lines(prose))
    return blocks


def _one_cell_row(lines: list[str], n: int) -> bool:
    """A short line without a tab between two table rows is a one-cell row of the table, not its end."""
    line = lines[n]
    if "\t" in line or not line.strip() or len(line) > 200:
        return False
    following = next((x for x in lines[n + 1 : n + 4] if x.strip()), "")
    return "\t" in following


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    out: list[str] = []
    for raw in text.split("\n"):
        line = _STRAY_SLASH.sub("/", raw.replace("\u00a0", " ").rstrip())
        if _PAGE_DEBRIS.match(line) or _RULE.match(line):
            out.append("")  # page numbers and rules end a paragraph but carry no text
            continue
        out.append(line)
    return out


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) > 20)
    if len(lengths) < 5:
        return 10**6
    return int(statistics.quantiles(lengths, n=10)[7])


def _join_lines(lines: list[str]) -> list[Block]:
    """Rejoin lines that extraction broke, using marks, indentation and line width as cues."""
    width = _wrap_width(lines)
    indented = sum(1 for line in lines if line[:1] == " " and line.strip()) < len([x for x in lines if x]) / 3
    paras: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if current and not _continues(current, line, stripped, width, indented):
            paras.append(current)
            current = ""
        current = _glue(current, stripped) if current else stripped
    if current:
        paras.append(current)
    return [Para(clean(p)) for p in paras]


def _continues(current: str, line: str, stripped: str, width: int, indented: bool) -> bool:
    if starts_block(stripped) or _OPENERS.match(stripped):
        return False
    first = stripped[0]
    if first.islower() or not first.isalpha():
        return True
    if current.rstrip().endswith(_SENTENCE_END):
        return False
    if _caps(stripped) != _caps(current.split("\n")[-1]):
        return False  # a heading in capitals ("KẾ HOẠCH") neither continues nor is continued by prose
    if indented and line[:1] == " ":
        return False  # a first-line indent opens a paragraph
    return len(current.split("\n")[-1]) >= 0.8 * width


def _caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _glue(current: str, stripped: str) -> str:
    if re.search(r"[A-ZĐ0-9]-$", current) and re.match(r"[A-ZĐ0-9]", stripped):
        return current + stripped  # "268/NQ-" + "CP": a code broken at its hyphen
    return current + "\n" + stripped

"""What a compiler reads: the DOCX's length as LibreOffice lays it out, and its summaries against the XLSX.

The DOCX counts and names only the units that matter; the workbook keeps every list. Each count the body
states is recounted here from the workbook's full sheets, and each name it gives must be in them.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
from docx import Document
from pypdf import PdfReader

PAGES_AT_MOST = 25
OVERDUE = "Quá hạn chưa hoàn thành"
EMPTY_ANSWERS = ("Không có.", "Không")


def pdf_pages(docx: bytes, folder: Path) -> int:
    """Pages of the DOCX as LibreOffice lays it out (a profile of its own, so parallel runs never clash)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is not installed: run `make system-deps`"
    source = folder / "report.docx"
    source.write_bytes(docx)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return len(PdfReader(folder / "report.pdf").pages)


def _rows(book: Any, sheet: str) -> list[dict[str, Any]]:
    rows = list(book[sheet].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _named(sentence: str, candidates: set[str]) -> tuple[list[str], int]:
    """Which of the candidates a sentence names ('A, B và 12 đơn vị khác'; names may hold commas), and
    how many more it counts."""
    more = re.search(r" và ([\d.]+) đơn vị khác", sentence)
    listed = sentence[: more.start()] if more else sentence
    names = [n for n in candidates if re.search(rf"(^|, ){re.escape(n)}(, |$)", listed)]
    # every name it gives is one of the candidates: nothing left over once they are taken out
    rest = listed
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "")
    assert not rest.replace(",", "").strip(), f"names outside the list: {rest}"
    return names, _number(more.group(1)) if more else 0


def check_summaries(docx: bytes, xlsx: bytes, folder: Path) -> None:
    """About 25 pages at most, every summary recounted from the workbook's full lists."""
    pages = pdf_pages(docx, folder)
    assert pages <= PAGES_AT_MOST, f"the report runs to {pages} pages"
    document = Document(io.BytesIO(docx))
    body = [p.text for p in document.paragraphs]
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    units, progress = _rows(book, "Theo đơn vị"), _rows(book, "Tiến độ báo cáo")
    quotes, cascade = _rows(book, "Khó khăn, kiến nghị"), _rows(book, "Liên thông kế hoạch")

    # results not reported: a count in the body, every line in the workbook
    silent = next(
        re.search(r"Còn ([\d.]+) lượt đơn vị chưa báo cáo kết quả", p)
        for p in body
        if "lượt đơn vị chưa báo cáo" in p
    )
    assert silent is not None and _number(silent.group(1)) == sum(r["Đã báo cáo"] == "Chưa" for r in units)

    # lead units overdue: named per task, as many as the workbook's lines
    overdue = Counter(
        (r["Nhiệm vụ"], r["Đơn vị"])
        for r in units
        if r["Vai trò"] == "Chủ trì" and r["Tình trạng"] == OVERDUE
    )
    stated = [
        re.match(
            r"- Nhiệm vụ (\S+)(?: \(hạn [^)]*\))?: ([\d.]+) đơn vị chủ trì quá hạn chưa hoàn thành: (.*)\.$",
            p,
        )
        for p in body
    ]
    per_task = {m.group(1): (_number(m.group(2)), m.group(3)) for m in stated if m}
    assert set(per_task) == {ref for ref, _ in overdue}
    if not overdue:
        assert "Không có đơn vị chủ trì nào quá hạn chưa hoàn thành nhiệm vụ." in body
    for ref, (count, sentence) in per_task.items():
        names, more = _named(sentence, {name for r, name in overdue if r == ref})
        assert count == sum(1 for r, _ in overdue if r == ref) == len(names) + more, ref

    # units still owing a report: counted in the body, named in Phụ lục II, every unit in the workbook
    owing = {r["Đơn vị"] for r in progress if r["Kỳ chưa gửi"]}
    late = {r["Đơn vị"] for r in progress if r["Kỳ gửi quá hạn"]}
    missing = next(p for p in body if "đơn vị chưa gửi báo cáo:" in p)
    said = re.match(r"Có ([\d.]+) đơn vị chưa gửi báo cáo: (.*) \(danh sách tại Phụ lục II\)\.$", missing)
    assert said is not None and _number(said.group(1)) == len(owing)
    names, more = _named(said.group(2), owing)
    assert len(names) + more == len(owing)
    appendix = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][-2:] == ["Kỳ chưa gửi", "Kỳ gửi quá hạn"]
    )
    assert {row.cells[1].text for row in appendix.rows[1:]} == owing | late
    assert len(appendix.rows) - 1 < len(progress)  # the appendix names the few, the workbook has everyone

    # wards that issued their own plan: each named with its number, as in the workbook's cascade sheet
    issued = {line for r in cascade for line in (r["Kế hoạch đã ban hành"] or "").split("\n") if line}
    plans = next(p for p in body if "đã ban hành kế hoạch thực hiện" in p)
    named_plans = set(re.findall(r"(UBND [^,(]+?) \(Kế hoạch số ([^)]+)\)", plans))
    assert {f"{name}: {number}" for name, number in named_plans} == issued

    # difficulties: no empty answer anywhere; each shared one counted as the workbook's lines
    assert not any(str(r["Nội dung"]).strip() in EMPTY_ANSWERS for r in quotes)
    written = Counter(r["Nội dung"] for r in quotes)
    shared = [re.match(r"- “(.+)” \(([\d.]+) đơn vị nêu", p) for p in body]
    assert any(shared), "the scenario's units share a difficulty and a proposal"
    for match in filter(None, shared):
        units_saying = {r["Đơn vị"] for r in quotes if r["Nội dung"] == match.group(1)}
        assert _number(match.group(2)) == len(units_saying) and written[match.group(1)] >= len(units_saying)
    assert not any(f"“{empty}”" in p for p in body for empty in EMPTY_ANSWERS)

"""What the city scenario checks in the documents: DOCX cell by cell, XLSX sheet by sheet, the JSON.

Every figure is compared with the test's own ledger (`scenario.Ledger`), never with the service's code.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from docx import Document

from shared.events import PlanReceived
from tests.support.reporting.scenario import AN_BIEN, DONG_HAI, Ledger

STATUS_LABELS = (
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Đang thực hiện trong hạn",
    "Quá hạn chưa hoàn thành",
)
CODES = ("hoan_thanh_dung_han", "hoan_thanh_qua_han", "dang_thuc_hien_trong_han", "qua_han_chua_hoan_thanh")


def check_docx(raw: bytes, ledger: Ledger, city: PlanReceived, directory: Any) -> None:
    document = Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _all_text(document) and "BÁO CÁO" in text
    assert "Nơi nhận" in _all_text(document) and "Phụ lục I" in text
    title = f"Kết quả thực hiện Kế hoạch số {city.number} của UBND thành phố Hải Phòng 6 tháng đầu năm 2026"
    assert title in text
    tasks_table = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][:4] == ["STT", "Nhiệm vụ", "Nội dung nhiệm vụ", "Thời hạn"]
    )
    header = [c.text for c in tasks_table.rows[0].cells]
    assert header[6:10] == list(STATUS_LABELS) and header[10] == "Chưa báo cáo"
    seen = set()
    for row in tasks_table.rows[1:]:
        cells = [c.text for c in row.cells]
        want = ledger.task_row(cells[1])
        assert int(cells[5].replace(".", "")) == want["assigned"], cells[:6]
        assert [int(v.replace(".", "")) for v in cells[6:10]] == [want[c] for c in CODES], (
            cells[1],
            cells[6:10],
        )
        assert int(cells[10].replace(".", "")) == want["not_reported"], cells[1]
        seen.add(cells[1])
    assert seen == {t.ref for t in city.tasks}
    progress = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][:3] == ["STT", "Đơn vị", "Loại đơn vị"]
    )
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in progress.rows[1:]}
    # Phụ lục II names only the units still owing a report or late with one (the XLSX has every unit)
    owing = [u for u in ledger.deadlines if (rates := ledger.unit_rates(u))[2] < rates[0]]
    assert 0 < len(rows) == len(owing) < len(ledger.deadlines)
    for unit in owing:
        cells = rows[directory.get(unit).name]
        assert tuple(int(v) for v in cells[3:6]) == ledger.unit_rates(unit), cells
    _check_cascade(document, ledger, directory)


def _check_cascade(document: Any, ledger: Ledger, directory: Any) -> None:
    """Phụ lục III: per city task the wards concerned and how many issued a plan; then each ward plan once."""
    table = next(
        t for t in document.tables if "Số UBND cấp xã liên quan" in [c.text for c in t.rows[0].cells]
    )
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}
    wards_of: dict[str, set[str]] = {}
    for a in ledger.given:
        if directory.get(a.unit) is not None and directory.get(a.unit).kind in ("phuong", "xa", "dac_khu"):
            wards_of.setdefault(a.task_ref, set()).add(a.unit)
    assert set(rows) == set(wards_of)
    for ref, wards in wards_of.items():
        issued = ({AN_BIEN} if ref == "PL.4" else set()) | ({DONG_HAI} & wards)
        cells = rows[ref]
        concerned = len(wards | issued)
        assert [int(v.replace(".", "")) for v in cells[3:6]] == [
            concerned,
            len(issued),
            concerned - len(issued),
        ]
    plans = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][1:3] == ["UBND cấp xã", "Kế hoạch số"]
    )
    found = {row.cells[1].text: (row.cells[2].text, row.cells[3].text) for row in plans.rows[1:]}
    dong_hai = sorted((ref for ref, wards in wards_of.items() if DONG_HAI in wards), key=lambda r: int(r[3:]))
    assert found == {
        directory.get(AN_BIEN).name: ("21/KH-UBND", "PL.4"),
        directory.get(DONG_HAI).name: (
            "7/KH-UBND",
            f"Toàn bộ {len(wards_of)} nhiệm vụ" if len(dong_hai) == len(wards_of) else ", ".join(dong_hai),
        ),
    }


def _all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def check_xlsx(raw: bytes, ledger: Ledger, city: PlanReceived) -> None:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book["Theo nhiệm vụ"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    assert header[6:10] == list(STATUS_LABELS)
    refs = set()
    for row in sheet.iter_rows(min_row=2, values_only=True):
        want = ledger.task_row(str(row[1]))
        assert row[5] == want["assigned"] and list(row[6:10]) == [want[c] for c in CODES]
        refs.add(row[1])
    assert refs == {t.ref for t in city.tasks}
    progress = book["Tiến độ báo cáo"]
    expected = sum(ledger.unit_rates(u)[0] for u in ledger.deadlines)
    received = sum(ledger.unit_rates(u)[1] for u in ledger.deadlines)
    assert sum(_count(r[3]) for r in progress.iter_rows(min_row=2, values_only=True)) == expected
    assert sum(_count(r[4]) for r in progress.iter_rows(min_row=2, values_only=True)) == received


def _count(cell: object) -> int:
    """A count read back from the workbook: stored as a number, never as text."""
    assert isinstance(cell, int), cell
    return cell


def check_json(document: dict[str, Any], ledger: Ledger) -> None:
    city = document["reporting"]["city"]
    rates = [ledger.unit_rates(u) for u in ledger.deadlines]
    assert (city["expected"], city["received"], city["on_time"]) == tuple(
        sum(r[i] for r in rates) for i in range(3)
    )
    counts = document["assignment_counts"]
    fields = ("done_on_time", "done_late", "in_progress", "overdue")
    for code, name in zip(CODES, fields, strict=True):
        assert counts[name] == sum(1 for a in ledger.given if ledger.status(a) == code), name
    assert counts["total"] == len(ledger.given)

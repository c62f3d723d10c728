"""The service's own SpreadsheetML writer and openpyxl write-only (the reference) write the same workbook.

Both are read back with openpyxl and compared cell by cell: value, type and number format, with the
sheets' frozen header, filter and column widths. A unit's text that looks like a formula stays text, and
LibreOffice Calc, a spreadsheet program a compiler may open it in, reads every cell the same (ADR 0130).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from services.reporting.documents.spreadsheet_text import spreadsheet_text
from services.reporting.documents.tables import Column, Table
from services.reporting.documents.xlsx import render_xlsx, write_workbook
from services.reporting.documents.xlsx_layout import CELL_LIMIT, CUT_NOTE, HEADER_FILL
from services.reporting.documents.xlsx_openpyxl import render_xlsx_openpyxl
from services.reporting.domain import compile_submission
from services.reporting.domain.submission import Submission
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, scenario


def _submission() -> Submission:
    inputs = scenario()
    # a unit writes what a spreadsheet would read as a formula and as a number
    tricky = ('=HYPERLINK("http://evil.example","Bấm vào đây")', "12", "+84 912 345 678", "@SUM(A1)")
    results = tuple(
        replace(r, output=tricky[i % len(tricky)], difficulties=tricky[(i + 1) % len(tricky)]) if i < 8 else r
        for i, r in enumerate(inputs.results)
    )
    return compile_submission(replace(inputs, results=results), PERIOD_START, PERIOD_END, AS_OF)


def _widths(sheet: Any) -> dict[int, float]:
    """Column number → width; a writer may store equal neighbouring columns as one range."""
    found: dict[int, float] = {}
    for letter, dimension in sheet.column_dimensions.items():
        first = column_index_from_string(letter)
        for column in range(dimension.min or first, (dimension.max or first) + 1):
            found[column] = dimension.width
    return found


def test_both_writers_store_the_same_cells_formats_and_sheet_settings() -> None:
    sub = _submission()
    fast = load_workbook(io.BytesIO(render_xlsx(sub)))
    reference = load_workbook(io.BytesIO(render_xlsx_openpyxl(sub)))
    assert fast.sheetnames == reference.sheetnames
    compared = 0
    for name in reference.sheetnames:
        mine, theirs = fast[name], reference[name]
        assert (mine.max_row, mine.max_column) == (theirs.max_row, theirs.max_column), name
        assert mine.freeze_panes == theirs.freeze_panes == "A2"
        assert mine.auto_filter.ref == theirs.auto_filter.ref
        for a, b in zip(mine.iter_rows(), theirs.iter_rows(), strict=True):
            for x, y in zip(a, b, strict=True):
                assert (x.value, x.data_type) == (y.value, y.data_type), (name, x.coordinate)
                # an empty cell keeps its column's format too, for what the compiler types into it
                assert x.number_format == y.number_format, (name, x.coordinate)
                assert bool(x.alignment.wrap_text) == bool(y.alignment.wrap_text), (name, x.coordinate)
                compared += 1
        widths, reference_widths = _widths(mine), _widths(theirs)
        assert widths.keys() == reference_widths.keys() == set(range(1, theirs.max_column + 1))
        for column, width in reference_widths.items():
            # rust_xlsxwriter stores the width Excel itself writes for N characters (38 → 38.71: the padding)
            assert 0 <= widths[column] - width < 1, (name, column)
        assert mine["A1"].font.b and theirs["A1"].font.b
    assert compared > 1000


def test_a_units_text_that_looks_like_a_formula_is_stored_as_inert_text() -> None:
    book = load_workbook(io.BytesIO(render_xlsx(_submission())))
    cells = [c for row in book["Theo đơn vị"].iter_rows() for c in row]
    outputs = {c.value for c in cells if isinstance(c.value, str)}
    assert '\'=HYPERLINK("http://evil.example","Bấm vào đây")' in outputs
    assert "12" in outputs and "'+84 912 345 678" in outputs  # text stays text, not a number
    assert not any(c.data_type == "f" for c in cells)


def test_text_past_a_cells_limit_is_cut_and_says_so_in_both_writers() -> None:
    inputs = scenario()
    long = "Báo cáo số 12/BC-UBND về kết quả triển khai; " * 1000  # 46,000 characters
    results = tuple(replace(r, output=long) for r in inputs.results)
    sub = compile_submission(replace(inputs, results=results), PERIOD_START, PERIOD_END, AS_OF)
    for rendered in (render_xlsx(sub), render_xlsx_openpyxl(sub)):
        sheet = load_workbook(io.BytesIO(rendered))["Theo đơn vị"]
        cells = [c.value for row in sheet.iter_rows() for c in row]
        cut = [v for v in cells if isinstance(v, str) and v.endswith(CUT_NOTE)]
        assert cut and all(len(v) == CELL_LIMIT for v in cut)
        assert all(v.startswith("Báo cáo số 12/BC-UBND về kết quả triển khai; ") for v in cut)
        assert max(len(v) for v in cells if isinstance(v, str)) == CELL_LIMIT


def _cells(book: Any) -> list[tuple[str, str, Any, str, str | None]]:
    """Every cell of every sheet: sheet, coordinate, value, type, and the number format of a value."""
    return [
        (
            sheet.title,
            cell.coordinate,
            cell.value,
            cell.data_type,
            cell.number_format if cell.value is not None else None,
        )
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


ODD_TEXTS = (
    "Sở Tư pháp & UBND phường <Lê Chân>",
    "  lùi vào hai dấu cách",
    "hai dấu cách ở cuối  ",
    "dòng một\ndòng hai",
    "_x0041_ không phải là chữ A",
    "-5% so với kỳ trước",
    'Trích "Kế hoạch số 12/KH-UBND"',
)


def _odd_texts() -> bytes:
    rows = tuple((text, i) for i, text in enumerate(ODD_TEXTS))
    return write_workbook([Table("Văn bản", "", (Column("Nội dung"), Column("Số", "int")), rows)])


def test_text_reads_back_as_written_markup_spaces_lines_and_escape_like_runs_included() -> None:
    sheet = load_workbook(io.BytesIO(_odd_texts()))["Văn bản"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(spreadsheet_text(t), i) for i, t in enumerate(ODD_TEXTS)]


def test_what_excel_reads_apart_is_written_its_way_and_every_part_is_well_formed_xml() -> None:
    rows = (
        ("chép từ PDF\x0bcó ký tự lạ\x01",),
        ("dòng Windows\r\ndòng sau\tcột",),
        *((t,) for t in ODD_TEXTS),
    )
    package = zipfile.ZipFile(io.BytesIO(write_workbook([Table("Văn bản", "", (Column("Nội dung"),), rows)])))
    for name in package.namelist():
        ElementTree.fromstring(package.read(name))  # raises on a character XML 1.0 cannot carry
    shared = package.read("xl/sharedStrings.xml").decode()
    # Excel's own rules, which openpyxl and Calc do not apply on reading: a control character is _xHHHH_,
    # a literal _xHHHH_ has its underscore escaped, and only a text marked so keeps its outer spaces.
    assert "chép từ PDF_x000B_có ký tự lạ_x0001_" in shared
    assert "dòng Windows_x000D_\ndòng sau\tcột" in shared  # a reader would turn a bare \r into \n
    assert "_x005F_x0041_ không phải là chữ A" in shared
    assert '<t xml:space="preserve">  lùi vào hai dấu cách</t>' in shared
    assert '<t xml:space="preserve">hai dấu cách ở cuối  </t>' in shared
    assert "<t>Trích" in shared


@pytest.mark.parametrize(
    "names",
    [["Theo/đơn vị"], ["x" * 32], ["'Tổng hợp"], ["Tổng hợp'"], ["Tổng hợp", "TỔNG HỢP"], [""], ["a[1]"]],
)
def test_a_sheet_name_excel_would_refuse_is_refused_before_anything_is_written(names: list[str]) -> None:
    tables = [Table(name, "", (Column("A"),), ()) for name in names]
    with pytest.raises(ValueError, match="sheet"):
        write_workbook(tables)


def _through_calc(folder: Path, workbooks: dict[str, bytes]) -> dict[str, Any]:
    """Each workbook as LibreOffice Calc opens it and saves it again: what it wrote is what it read."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is not installed: run `make system-deps`"
    (folder / "in").mkdir()
    for name, content in workbooks.items():
        (folder / "in" / f"{name}.xlsx").write_bytes(content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc Office Open XML",
            "--outdir",
            str(folder / "out"),
            *(str(folder / "in" / f"{name}.xlsx") for name in workbooks),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: load_workbook(folder / "out" / f"{name}.xlsx") for name in workbooks}


def test_libreoffice_calc_reads_every_sheet_cell_format_filter_and_header_style_as_written(
    tmp_path: Path,
) -> None:
    written = render_xlsx(_submission())
    read = _through_calc(tmp_path, {"submission": written, "odd": _odd_texts()})
    ours, calc = load_workbook(io.BytesIO(written)), read["submission"]
    assert calc.sheetnames == ours.sheetnames
    for mine, theirs in zip(ours.worksheets, calc.worksheets, strict=True):
        assert theirs.auto_filter.ref == mine.auto_filter.ref, mine.title
        assert theirs["A1"].font.b and theirs["A1"].fill.fgColor.rgb.endswith(HEADER_FILL), mine.title
    # Calc writes a custom format's letters in lower case (dd/mm/yyyy): the same format.
    cells = [(*cell[:4], cell[4] and cell[4].casefold()) for cell in _cells(calc)]
    assert cells == [(*cell[:4], cell[4] and cell[4].casefold()) for cell in _cells(ours)]
    assert len(cells) > 1000
    texts = list(read["odd"]["Văn bản"].iter_rows(min_row=2, values_only=True))
    assert texts == [(spreadsheet_text(t), i) for i, t in enumerate(ODD_TEXTS)]


def test_a_cut_counts_as_excel_does_an_emoji_two_units_and_never_half_of_one() -> None:
    inputs = scenario()
    long = "Đã hoàn thành 👍 " * 2500  # 40,000 characters, 42,500 UTF-16 units
    results = tuple(replace(r, output=long) for r in inputs.results)
    sub = compile_submission(replace(inputs, results=results), PERIOD_START, PERIOD_END, AS_OF)
    for rendered in (render_xlsx(sub), render_xlsx_openpyxl(sub)):
        sheet = load_workbook(io.BytesIO(rendered))["Theo đơn vị"]
        cut = [
            c.value
            for row in sheet.iter_rows()
            for c in row
            if isinstance(c.value, str) and CUT_NOTE in c.value
        ]
        assert cut
        for value in cut:
            units = len(value.encode("utf-16-le")) // 2
            assert CELL_LIMIT - 1 <= units <= CELL_LIMIT  # full, less at most the half of a pair dropped
            assert value.endswith(CUT_NOTE) and value.startswith("Đã hoàn thành 👍 ")
            assert "\ufffd" not in value

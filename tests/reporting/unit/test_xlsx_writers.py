"""XlsxWriter (the service's writer) and openpyxl write-only (the reference) write the same workbook.

Both are read back with openpyxl and compared cell by cell: value, type and number format, with the
sheets' frozen header, filter and column widths. A unit's text that looks like a formula stays text.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from services.reporting.documents.xlsx import render_xlsx
from services.reporting.documents.xlsx_layout import CELL_LIMIT, CUT_NOTE
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
                if x.value is not None:
                    assert x.number_format == y.number_format, (name, x.coordinate)
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

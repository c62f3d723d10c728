"""The same workbook written by openpyxl's write-only mode: the reference the service's one is checked
against cell by cell, and its rival in bench/bench_reporting.py (ADR 0072)."""

from __future__ import annotations

import io
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from services.reporting.documents.tables import Table, all_tables
from services.reporting.documents.xlsx_layout import (
    HEADER_FILL,
    column_widths,
    excel_value,
    number_format,
    wraps,
)
from services.reporting.domain.submission import Submission

WRAP = Alignment(wrap_text=True, vertical="top")


def render_xlsx_openpyxl(submission: Submission) -> bytes:
    """Every table as a sheet, rows streamed (write-only mode)."""
    book = Workbook(write_only=True)
    for table in all_tables(submission):
        _write_sheet(book.create_sheet(table.name), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Any, table: Table) -> None:
    # Any: the write-only sheet has column_dimensions and auto_filter, which openpyxl's stubs leave out.
    widths = column_widths(table)
    wrapped = [wraps(width) for width in widths]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.append(cell)
    sheet.append(header)
    for values in table.rows:
        row: list[object] = []
        for value, wrap in zip(values, wrapped, strict=True):
            stored = excel_value(value)
            form = number_format(value)
            if form is None and not (wrap and isinstance(stored, str | None)):
                row.append(stored)
                continue
            cell = WriteOnlyCell(sheet, cast(Any, stored))  # a date is a value openpyxl stores as such
            if isinstance(stored, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if form:
                cell.number_format = form
            else:
                cell.alignment = WRAP
            row.append(cell)
        sheet.append(row)

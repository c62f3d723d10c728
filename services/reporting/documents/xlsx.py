"""The result tables as a workbook: one sheet per table, typed cells, filters and frozen headers."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.documents.spreadsheet_text import spreadsheet_text
from services.reporting.documents.tables import CellValue, Column, Table, all_tables, cell_text
from services.reporting.domain.rates import Rate
from services.reporting.domain.submission import Submission

INT_FORMAT, DATE_FORMAT, PERCENT_FORMAT = "#,##0", "DD/MM/YYYY", "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MIN_WIDTH, MAX_WIDTH = 6, 60
WRAP = Alignment(wrap_text=True, vertical="top")


def render_xlsx(submission: Submission) -> bytes:
    """A workbook with Tổng hợp, Theo nhiệm vụ, Theo đơn vị, Tiến độ báo cáo, Liên thông kế hoạch…"""
    workbook = Workbook()
    for blank in list(workbook.worksheets):
        workbook.remove(blank)
    for table in all_tables(submission):
        _write_sheet(workbook.create_sheet(table.name), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel_value(value: CellValue) -> str | int | float | date | None:
    """What a cell stores: numbers as numbers, shares as fractions of 1, dates as dates, text inert."""
    if isinstance(value, Rate):
        share = value.fraction
        return None if share is None else float(share)
    if isinstance(value, str):
        # openpyxl makes a formula only of a string starting with "=", which spreadsheet_text never returns.
        return spreadsheet_text(value)
    return value


def _write_sheet(sheet: Worksheet, table: Table) -> None:
    sheet.append([column.header for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wraps = [_fit_column(sheet, i, column, table) for i, column in enumerate(table.columns, start=1)]
    # Row numbers are counted here: asking the sheet for max_row rescans it and turns this quadratic.
    for row_number, values in enumerate(table.rows, start=2):
        sheet.append([excel_value(value) for value in values])
        for column_number, (value, wrap) in enumerate(zip(values, wraps, strict=True), start=1):
            number_format = _number_format(value)
            if number_format or wrap:
                cell = sheet.cell(row_number, column_number)
                if number_format:
                    cell.number_format = number_format
                else:
                    cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"


def _number_format(value: CellValue) -> str | None:
    # Decided per value, not per column: the summary sheet mixes counts, dates and text.
    if isinstance(value, Rate):
        return PERCENT_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, int):
        return INT_FORMAT
    return None


def _fit_column(sheet: Worksheet, index: int, column: Column, table: Table) -> bool:
    """Set the column width; True when its text is long enough to wrap."""
    width = _fitted_width(column, [row[index - 1] for row in table.rows])
    sheet.column_dimensions[get_column_letter(index)].width = width
    return width >= MAX_WIDTH


def _fitted_width(column: Column, values: list[CellValue]) -> float:
    # Excel measures width in characters of the default font; Vietnamese diacritics stack
    # vertically, so a character count fits once NFC-composed. Header words may wrap.
    longest_header_word = max(len(word) for word in column.header.split())
    longest = max([longest_header_word, *(len(line) for v in values for line in cell_text(v).split("\n"))])
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))

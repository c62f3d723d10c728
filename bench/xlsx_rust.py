"""The same workbook written by rust_xlsxwriter through a young Python binding (rvgsrust-xlsxwriter 0.3.x):
the service's for a while (ADR 0074), until ADR 0077 kept XlsxWriter (the binding stores every integer as
"1.0" and is one person's young project); since ADR 0130 the service writes the SpreadsheetML itself, about
twice as fast as this binding, and bench_reporting.py times both.
"""

from __future__ import annotations

from typing import Any

import rvgsrust_xlsxwriter as xlsx

from services.reporting.documents.tables import Table, all_tables
from services.reporting.documents.xlsx_layout import (
    DATE_FORMAT,
    HEADER_FILL,
    INT_FORMAT,
    PERCENT_FORMAT,
    column_widths,
    excel_value,
    number_format,
    wraps,
)
from services.reporting.domain.submission import Submission


def render_xlsx_rust(submission: Submission) -> bytes:
    """A workbook with Tổng hợp, Theo nhiệm vụ, Theo đơn vị, Tiến độ báo cáo, Liên thông kế hoạch…"""
    book = xlsx.Workbook()
    formats = _formats(book)
    for table in all_tables(submission):
        _write_sheet(book, table, formats)
    return book.save_to_buffer()


def _formats(book: xlsx.Workbook) -> dict[str, xlsx.Format]:
    return {
        "header": book.add_format()
        .set_bold()
        .set_background_color(f"#{HEADER_FILL}")
        .set_text_wrap()
        .set_align("center")
        .set_vertical_align("vcenter"),
        INT_FORMAT: book.add_format().set_num_format(INT_FORMAT),
        DATE_FORMAT: book.add_format().set_num_format(DATE_FORMAT),
        PERCENT_FORMAT: book.add_format().set_num_format(PERCENT_FORMAT),
        "wrap": book.add_format().set_text_wrap().set_vertical_align("top"),
    }


def _write_sheet(book: xlsx.Workbook, table: Table, formats: dict[str, xlsx.Format]) -> None:
    sheet = book.add_worksheet(table.name)
    widths = column_widths(table)
    wrap = formats["wrap"]
    text_format = [wrap if wraps(width) else None for width in widths]
    for index, width in enumerate(widths):
        sheet.set_column_width(index, width)
    for index, column in enumerate(table.columns):
        sheet.write(0, index, column.header, formats["header"])
    write, write_date = sheet.write, sheet.write_date_py
    for row_number, values in enumerate(table.rows, start=1):
        for index, value in enumerate(values):
            stored, form = excel_value(value), number_format(value)
            cell: Any
            if isinstance(stored, str):
                # The binding stores a str as a string cell, never a formula ("=…") nor a link ("http…").
                cell = text_format[index]
                write(row_number, index, stored, cell) if cell else write(row_number, index, stored)
            elif stored is None:
                cell = formats[form] if form else text_format[index]
                if cell:
                    write(row_number, index, None, cell)
            elif form == DATE_FORMAT:
                write_date(row_number, index, stored, formats[DATE_FORMAT])
            elif form:
                write(row_number, index, stored, formats[form])
            else:
                write(row_number, index, stored)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)

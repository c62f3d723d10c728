"""The same workbook written by XlsxWriter: the service's writer from ADR 0072 to ADR 0130, now a rival
bench_reporting.py times beside the service's own SpreadsheetML writer (services/reporting/documents/xlsx.py).

Every decision about a cell comes from `xlsx_layout.py`, as in the service's writer.
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # XlsxWriter ships no type information

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


def render_xlsx_xlsxwriter(submission: Submission, constant_memory: bool = False) -> bytes:
    """A workbook with Tổng hợp, Theo nhiệm vụ, Theo đơn vị, Tiến độ báo cáo, Liên thông kế hoạch…

    The default mode is faster than `constant_memory`: its shared string table writes a repeated unit
    name once, where constant_memory escapes every inline string.
    """
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="dondoc-xlsx-") as folder:
        book = xlsxwriter.Workbook(
            buffer, {"constant_memory": constant_memory, "tmpdir": folder, "strings_to_urls": False}
        )
        formats = _formats(book)
        for table in all_tables(submission):
            _write_sheet(book, table, formats)
        book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    return {
        "header": book.add_format(
            {
                "bold": True,
                "bg_color": f"#{HEADER_FILL}",
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        INT_FORMAT: book.add_format({"num_format": INT_FORMAT}),
        DATE_FORMAT: book.add_format({"num_format": DATE_FORMAT}),
        PERCENT_FORMAT: book.add_format({"num_format": PERCENT_FORMAT}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _write_sheet(book: Any, table: Table, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet(table.name)
    widths = column_widths(table)
    wrapped = [wraps(width) for width in widths]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column.header, formats["header"])
    for row_number, values in enumerate(table.rows, start=1):
        for index, value in enumerate(values):
            stored, form = excel_value(value), number_format(value)
            if isinstance(stored, str):
                # Always a string cell: write() would make a formula of "=…" or a link of "http…".
                sheet.write_string(row_number, index, stored, formats["wrap"] if wrapped[index] else None)
            elif stored is None:
                if form or wrapped[index]:
                    sheet.write_blank(row_number, index, None, formats[form or "wrap"])
            elif form == DATE_FORMAT:
                sheet.write_datetime(row_number, index, stored, formats[DATE_FORMAT])
            else:
                sheet.write_number(row_number, index, stored, formats[form] if form else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)

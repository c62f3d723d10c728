"""What every workbook writer decides alike: cell values, number formats, column widths, which text wraps.

Two writers render the same tables (`xlsx.py`, the service's own SpreadsheetML writer, and
`xlsx_openpyxl.py`, the reference it is checked against); both take every decision from here, and so do
the bench's rivals (bench/xlsx_xlsxwriter.py, bench/xlsx_rust.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.reporting.documents.spreadsheet_text import spreadsheet_text
from services.reporting.documents.tables import CellValue, Column, Table
from services.reporting.domain.rates import Rate
from services.reporting.domain.vi import format_int

INT_FORMAT, DATE_FORMAT, PERCENT_FORMAT = "#,##0", "DD/MM/YYYY", "0.0%"
HEADER_FILL = "DDEBF7"
MIN_WIDTH, MAX_WIDTH = 6, 60
DATE_TEXT_WIDTH = 10  # dd/mm/yyyy
RATE_TEXT_WIDTH = 6  # 100% or 85,5%
CELL_LIMIT = 32_767  # characters in one cell, as Excel allows
CUT_NOTE = "… (còn nữa: một ô bảng tính chứa tối đa 32.767 ký tự)"


def excel_value(value: CellValue) -> str | int | float | date | None:
    """What a cell stores: numbers as numbers, shares as fractions of 1, dates as dates, text inert."""
    if isinstance(value, str):
        # A unit's words never become a formula, whichever writer stores them (spreadsheet_text.py);
        # nothing written is an empty cell, not an empty string, in both writers alike.
        return _within_cell_limit(spreadsheet_text(value)) if value else None
    if isinstance(value, Rate):
        share = value.fraction
        # Excel keeps 15 significant digits; stored so, every writer writes the same digits.
        return None if share is None else float(f"{float(share):.15g}")
    return value


def _within_cell_limit(text: str) -> str:
    """A cell holds at most 32,767 characters (a city task's outputs of 3,300 units run past it): the
    text is cut there and says so, rather than a writer refusing it or Excel repairing the file.

    Excel counts UTF-16 units: a character outside the Basic Multilingual Plane (an emoji) counts two.
    """
    if len(text) <= CELL_LIMIT // 2 or _utf16_units(text) <= CELL_LIMIT:
        return text
    room = CELL_LIMIT - _utf16_units(CUT_NOTE)
    # the first `room` units; a pair cut in half is dropped rather than kept as half a character
    kept = text.encode("utf-16-le")[: 2 * room].decode("utf-16-le", errors="ignore")
    return kept + CUT_NOTE


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def number_format(value: CellValue) -> str | None:
    """Decided per value, not per column: the summary sheet mixes counts, dates and text."""
    if isinstance(value, Rate):
        return PERCENT_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, int):
        return INT_FORMAT
    return None


def _text_width(value: CellValue) -> int:
    # The width a value reads at, without formatting a national table's million cells one by one.
    if value is None:
        return 0
    if isinstance(value, str):
        return max(len(line) for line in value.split("\n")) if "\n" in value else len(value)
    if isinstance(value, Rate):
        return RATE_TEXT_WIDTH
    if isinstance(value, date):
        return DATE_TEXT_WIDTH
    return len(format_int(value))


def fitted_width(column: Column, values: Sequence[CellValue]) -> float:
    """Excel measures width in characters of the default font; Vietnamese diacritics stack vertically,
    so a character count fits once NFC-composed. Header words may wrap."""
    longest_header_word = max(len(word) for word in column.header.split())
    # Each distinct value measured once: a national column repeats a few thousand names and counts.
    longest = max([longest_header_word, *(_text_width(v) for v in set(values))])
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def column_widths(table: Table) -> list[float]:
    """Each column's width."""
    return [
        fitted_width(column, [row[index] for row in table.rows]) for index, column in enumerate(table.columns)
    ]


def wraps(width: float) -> bool:
    """Text in a column at the widest wraps inside its cells rather than running on."""
    return width >= MAX_WIDTH

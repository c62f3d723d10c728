"""The result tables as a workbook, written as SpreadsheetML (ECMA-376 Part 1, §18) by the service itself.

ADR 0130: the workbook has one shape — a few sheets of typed cells, six cell styles, a frozen header and
a filter per sheet — and a national one holds two million cells. XlsxWriter builds an object per cell
and then walks them all again to write the XML: 10–15 s of the 20-second goal on the slower machines.
Here each column decides a distinct value's cell once (its style, its type, its shared string) and every
further cell with that value is a dictionary lookup and a join; rows stream into the zip as they are made.

Every decision about a cell comes from `xlsx_layout.py`, as in the reference writer (`xlsx_openpyxl.py`)
the tests read this one back against, cell by cell, and in the rivals bench_reporting.py times beside it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from services.reporting.documents.tables import CellValue, Table, all_tables
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

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The cell styles (cellXfs), by index: what `s="…"` on a cell names.
PLAIN, HEADER, WHOLE, DAY, SHARE, WRAPPED = range(6)
STYLE_OF_FORMAT = {INT_FORMAT: WHOLE, DATE_FORMAT: DAY, PERCENT_FORMAT: SHARE}
CUSTOM_FORMATS = {DATE_FORMAT: 164, PERCENT_FORMAT: 165}  # "#,##0" is Excel's built-in format 3
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts the 29 February 1900 that was not)
ROWS_PER_WRITE = 2_000  # rows joined and compressed at a time: memory stays a sheet's slice, not the sheet

# XML 1.0 cannot carry most control characters, and a reader turns a carriage return into a line feed: they
# are written as Excel's _xHHHH_ escapes, and a text that already reads like one is escaped in turn
# (_x005F_), as Excel itself does. Tabs and line feeds stay as they are.
_ESCAPE_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(submission: Submission) -> bytes:
    """A workbook with Tổng hợp, Theo nhiệm vụ, Theo đơn vị, Tiến độ báo cáo, Liên thông kế hoạch…"""
    return write_workbook(all_tables(submission))


def write_workbook(tables: Iterable[Table]) -> bytes:
    """The tables as the sheets of one .xlsx package."""
    tables = tuple(tables)
    _check_sheet_names([table.name for table in tables])
    strings = SharedStrings()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _content_types(len(tables)))
        package.writestr("_rels/.rels", _package_relationships())
        package.writestr("docProps/app.xml", _app_properties(tables))
        package.writestr("docProps/core.xml", _core_properties())
        package.writestr("xl/workbook.xml", _workbook(tables))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(len(tables)))
        package.writestr("xl/styles.xml", _styles())
        for number, table in enumerate(tables, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                _write_sheet(part, table, strings, selected=number == 1)
        with package.open("xl/sharedStrings.xml", "w") as part:
            for chunk in strings.xml():
                part.write(chunk.encode())
    return buffer.getvalue()


def _check_sheet_names(names: list[str]) -> None:
    """The names Excel would refuse to open, refused here: the tables' names are the code's own."""
    for name in names:
        if (
            not 0 < len(name) <= SHEET_NAME_LIMIT
            or _NOT_IN_SHEET_NAMES.search(name)
            or name[0] == "'"
            or name[-1] == "'"
        ):
            raise ValueError(f"a sheet name Excel refuses: {name!r}")
    if len({name.casefold() for name in names}) < len(names):
        raise ValueError(f"two sheets of one name: {names}")


class SharedStrings:
    """The workbook's table of distinct texts (sharedStrings.xml); a text cell holds its index here."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        """The text's index, added on first use."""
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> Iterator[str]:
        """The part, in slices (the optional count of cells that use them is left out)."""
        yield f'{DECLARATION}<sst xmlns="{MAIN}" uniqueCount="{len(self.index)}">'
        batch: list[str] = []
        for text in self.index:  # a dict keeps the order the indexes were given in
            space = ' xml:space="preserve"' if text != text.strip() else ""
            batch.append(f"<si><t{space}>{cell_text(text)}</t></si>")
            if len(batch) == ROWS_PER_WRITE:
                yield "".join(batch)
                batch.clear()
        yield "".join(batch) + "</sst>"


def cell_text(text: str) -> str:
    """Text as element content: markup escaped, control characters as Excel's _xHHHH_ escapes."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(lambda m: "_x005F" + m.group(0), text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def attribute(text: str) -> str:
    """Text as an attribute value in double quotes."""
    return cell_text(text).replace('"', "&quot;")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Column:
    """One column's cells: the tail of a distinct value's <c> element, decided once (None: no cell)."""

    def __init__(self, strings: SharedStrings, wrapped: bool) -> None:
        self.decided: dict[CellValue, str | None] = {}
        self.strings, self.wrapped = strings, wrapped

    def decide(self, value: CellValue) -> str | None:
        stored, form = excel_value(value), number_format(value)
        tail: str | None
        if isinstance(stored, str):
            style = f' s="{WRAPPED}"' if self.wrapped else ""
            # Always a string cell, whatever the text starts with: never a formula, never a link.
            tail = f'{style} t="s"><v>{self.strings.add(stored)}</v></c>'
        elif stored is None:
            style_index = STYLE_OF_FORMAT[form] if form else WRAPPED if self.wrapped else None
            tail = None if style_index is None else f' s="{style_index}"/>'
        else:
            style = f' s="{STYLE_OF_FORMAT[form]}"' if form else ""
            tail = f"{style}><v>{_number(stored)}</v></c>"
        # Equal values make equal cells: str, int, date, Rate and None are all a CellValue holds.
        self.decided[value] = tail
        return tail


def _number(stored: int | float | date) -> str:
    if isinstance(stored, date):
        return str((stored - EXCEL_EPOCH).days)
    if isinstance(stored, int):
        return str(stored)
    return repr(stored)  # the shortest digits that read back as the same double (15 at most here)


def _write_sheet(part: IO[bytes], table: Table, strings: SharedStrings, selected: bool) -> None:
    widths = column_widths(table)
    columns = [_Column(strings, wraps(width)) for width in widths]
    letters = [column_letter(index) for index in range(len(table.columns))]
    last = "".join(_filter_corner(table))
    part.write(_sheet_head(table, widths, letters, strings, selected, last).encode())
    rows = table.rows
    for start in range(0, len(rows), ROWS_PER_WRITE):
        chunk: list[str] = []
        for row_number, values in enumerate(rows[start : start + ROWS_PER_WRITE], start=start + 2):
            number = str(row_number)
            chunk.append(f'<row r="{number}">')
            for letter, column, value in zip(letters, columns, values, strict=True):
                decided = column.decided
                tail = decided[value] if value in decided else column.decide(value)
                if tail is not None:
                    chunk.append(f'<c r="{letter}{number}"{tail}')
            chunk.append("</row>")
        part.write("".join(chunk).encode())
    part.write(
        f'</sheetData><autoFilter ref="A1:{last}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>".encode()
    )


def _sheet_head(
    table: Table, widths: list[float], letters: list[str], strings: SharedStrings, selected: bool, last: str
) -> str:
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{_excel_width(width)}" customWidth="1"/>'
        for i, width in enumerate(widths, start=1)
    )
    header = "".join(
        f'<c r="{letter}1" s="{HEADER}" t="s"><v>{strings.add(column.header)}</v></c>'
        for letter, column in zip(letters, table.columns, strict=True)
    )
    tab = ' tabSelected="1"' if selected else ""
    return (
        f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView{tab} workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{columns}</cols>"
        f'<sheetData><row r="1">{header}</row>'
    )


def _excel_width(characters: float) -> str:
    """The width Excel stores for a column that shows N characters of Calibri 11: 7 pixels a digit and
    5 of padding (ECMA-376 §18.3.1.13), as Excel and XlsxWriter write it."""
    return f"{(int(characters * 7 + 0.5) + 5) / 7:.16g}"


def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{kind}.extended-properties+xml"/>'
        "</Types>"
    )


def _package_relationships() -> str:
    return (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{PACKAGE_RELATIONSHIPS}/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def _app_properties(tables: tuple[Table, ...]) -> str:
    names = "".join(f"<vt:lpstr>{attribute(table.name)}</vt:lpstr>" for table in tables)
    return (
        f"{DECLARATION}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>dondoc</Application>"
        '<HeadingPairs><vt:vector size="2" baseType="variant">'
        f"<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(tables)}</vt:i4>"
        "</vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(tables)}" baseType="lpstr">{names}</vt:vector></TitlesOfParts>'
        "</Properties>"
    )


def _core_properties() -> str:
    return (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:creator>dondoc</dc:creator></cp:coreProperties>"
    )


def _workbook(tables: tuple[Table, ...]) -> str:
    sheets = "".join(
        f'<sheet name="{attribute(table.name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, table in enumerate(tables, start=1)
    )
    # Excel finds a sheet's filter range by this hidden name, and writes it so itself.
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{attribute(_quoted(table.name))}!$A$1:${'$'.join(_filter_corner(table))}</definedName>"
        for n, table in enumerate(tables)
    )
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _filter_corner(table: Table) -> tuple[str, str]:
    """The last column and row of a sheet's filter (and its dimension): the header and a row at least,
    as the sheet's autoFilter and the workbook's hidden name for it must both say."""
    return column_letter(len(table.columns) - 1), str(max(len(table.rows) + 1, 2))


def _quoted(sheet_name: str) -> str:
    return "'" + sheet_name.replace("'", "''") + "'"


def _workbook_relationships(sheets: int) -> str:
    worksheet, base = f"{RELATIONSHIPS}/worksheet", f"{RELATIONSHIPS}/"
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{worksheet}" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{links}'
        f'<Relationship Id="rId{sheets + 1}" Type="{base}styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{sheets + 2}" Type="{base}sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )


def _styles() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{attribute(code)}"/>'
        for code, number in CUSTOM_FORMATS.items()
    )
    plain = 'fontId="0" fillId="0" borderId="0" xfId="0"'
    return (
        f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="{len(CUSTOM_FORMATS)}">{formats}</numFmts>'
        '<fonts count="2">'
        '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{HEADER_FILL}"/><bgColor indexed="64"/>'
        "</patternFill></fill></fills>"
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="6">'
        f'<xf numFmtId="0" {plain}/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
        'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
        f'<xf numFmtId="3" {plain} applyNumberFormat="1"/>'
        f'<xf numFmtId="{CUSTOM_FORMATS[DATE_FORMAT]}" {plain} applyNumberFormat="1"/>'
        f'<xf numFmtId="{CUSTOM_FORMATS[PERCENT_FORMAT]}" {plain} applyNumberFormat="1"/>'
        f'<xf numFmtId="0" {plain} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )

"""Phụ lục I–III: the result tables, on landscape pages, with bordered cells and repeated headers."""

from __future__ import annotations

from copy import deepcopy

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from services.reporting.documents.docx_parts import (
    CELL_STYLE,
    CENTER_CELL_STYLE,
    add_run,
    fast_run,
    narrow_cell_margins,
    page_setup,
    repeat_header,
    set_widths,
    style_fast,
    text_width,
)
from services.reporting.documents.docx_tables import (
    cascade_counts_table,
    docx_tasks_table,
    owing_table,
    ward_plans_table,
)
from services.reporting.documents.meta import BLANK, DocumentMeta
from services.reporting.documents.tables import Table, cell_text, rates_by_kind_table
from services.reporting.domain.submission import Submission
from services.reporting.domain.vi import format_date

TABLE_PT = 11  # wide appendix tables; Decree 30 leaves table text size to the drafter
WIDE_COLUMNS = 6
CENTERED_KINDS = ("index", "int", "date", "rate")
_TC, _P = qn("w:tc"), qn("w:p")


Appendix = tuple[str, str, list[tuple[str, Table]]]


def appendix_groups(submission: Submission) -> list[Appendix]:
    """Which tables go in which appendix (label, title, parts), each part with an optional heading.

    Counts for everyone, names only for those that matter: the workbook holds every unit's line.
    """
    tasks = docx_tasks_table(submission)
    return [
        ("Phụ lục I", tasks.title, [("", tasks)]),
        (
            "Phụ lục II",
            "TÌNH HÌNH GỬI BÁO CÁO",
            [
                ("A. Theo loại đơn vị", rates_by_kind_table(submission)),
                (
                    "B. Các đơn vị chưa gửi hoặc gửi quá hạn (số liệu của mọi đơn vị tại tệp XLSX kèm theo)",
                    owing_table(submission),
                ),
            ],
        ),
        (
            "Phụ lục III",
            "TÌNH HÌNH BAN HÀNH KẾ HOẠCH THỰC HIỆN CỦA UBND CẤP XÃ",
            [
                ("A. Theo nhiệm vụ", cascade_counts_table(submission)),
                ("B. Các kế hoạch đã ban hành", ward_plans_table(submission)),
            ],
        ),
    ]


def add_appendices(document: DocxDocument, submission: Submission, meta: DocumentMeta) -> None:
    """Each appendix on a new page; the appendix section turns landscape when a table is wide."""
    groups = appendix_groups(submission)
    wide = any(len(table.columns) > WIDE_COLUMNS for _, _, parts in groups for _, table in parts)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=wide)
    for index, (label, title_text, parts) in enumerate(groups):
        _appendix_heading(document, (label, title_text, _attached_line(meta)), new_page=index > 0)
        for part_heading, table in parts:
            if part_heading:
                add_run(document.add_paragraph(), part_heading, bold=True)
            add_table(document, table, text_width(section))


def _attached_line(meta: DocumentMeta) -> str:
    number = f"{meta.number or BLANK}/{meta.symbol}"
    return (
        f"(Kèm theo Báo cáo số {number} ngày {format_date(meta.signed_on, BLANK)} của {meta.issuer_in_text})"
    )


def _appendix_heading(document: DocxDocument, lines: tuple[str, str, str], new_page: bool) -> None:
    for i, text in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(6 if i == 2 else 0)
        # page_break_before rather than a break character: it survives a compiler's edits.
        paragraph.paragraph_format.page_break_before = new_page and i == 0
        add_run(paragraph, text, bold=i < 2, italic=i == 2)


def add_table(document: DocxDocument, table: Table, width: int) -> None:
    """A bordered table whose header row repeats on every page."""
    grid = document.add_table(rows=2, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    narrow_cell_margins(grid)
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _fill(cell.paragraphs[0], column.header, bold=True, center=True)
    repeat_header(grid)
    total = sum(column.weight for column in table.columns)
    set_widths(grid, [int(width * column.weight / total) for column in table.columns])
    # Every data row is a copy of one empty row already sized: python-docx's add_row re-reads the grid
    # and sets each cell's width one by one, which at national scale (thousands of rows) took seconds.
    template = grid.rows[1]._tr
    grid._tbl.remove(template)
    centered = [column.kind in CENTERED_KINDS for column in table.columns]
    for values in table.rows:
        row = deepcopy(template)
        for cell, value, center in zip(row.iterchildren(_TC), values, centered, strict=True):
            _fill(DocxParagraph(cell.find(_P), grid), cell_text(value), center=center)
        grid._tbl.append(row)


def _fill(paragraph: DocxParagraph, text: str, bold: bool = False, center: bool = False) -> None:
    style_fast(paragraph, CENTER_CELL_STYLE if center else CELL_STYLE)
    if text:
        fast_run(paragraph, text, bold=bold, size=TABLE_PT)

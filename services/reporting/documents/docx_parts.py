"""Low-level DOCX pieces python-docx has no API for: East Asian fonts, borders, repeated headers."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

FONT = "Times New Roman"
BODY_STYLE, CELL_STYLE, CENTER_CELL_STYLE = "ReportBody", "TableText", "TableTextCenter"
BODY_PT = 14
A4_SHORT, A4_LONG = Cm(21), Cm(29.7)


def set_fonts(document: DocxDocument) -> None:
    """Times New Roman everywhere, East Asian and complex-script slots included, so no glyph falls back."""
    for style_name in ("Normal", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def page_setup(section: Section, landscape: bool = False) -> None:
    """A4 with Decree 30 margins: top and bottom 2 cm, left 3 cm, right 2 cm."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)


def text_width(section: Section) -> int:
    """The usable width between the margins, in EMU."""
    sizes = (section.page_width, section.left_margin, section.right_margin)
    width, left, right = (int(size or 0) for size in sizes)
    return width - left - right


def add_run(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
) -> Run:
    """A run with the emphasis Decree 30 prescribes for that line."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
    return run


def short_rule(paragraph: DocxParagraph, indent_cm: float) -> None:
    """The short solid line under the issuing body and the motto (a bottom border on an indented line)."""
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(4)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    paragraph.paragraph_format.line_spacing = Pt(2)


def remove_borders(table: DocxTable) -> None:
    """Header and signature tables are layout only: no lines."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def repeat_header(table: DocxTable) -> None:
    """Mark the first row as a header row, repeated at the top of every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def set_widths(table: DocxTable, widths: list[int]) -> None:
    """Fixed column widths (Word ignores column widths unless cells carry them too)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def narrow_cell_margins(table: DocxTable, twips: int = 60) -> None:
    """Thinner left/right cell padding, so narrow number columns keep whole words."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def add_styles(document: DocxDocument) -> None:
    """Paragraph styles for the bulk content, so each paragraph carries one style id, not its own format."""
    styles = document.styles
    body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1.27)
    for name, alignment in (
        (CELL_STYLE, WD_ALIGN_PARAGRAPH.LEFT),
        (CENTER_CELL_STYLE, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        cell = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = styles["Normal"]
        cell.paragraph_format.alignment = alignment
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.0


def style_fast(paragraph: DocxParagraph, style_id: str) -> None:
    """Give a fresh paragraph a style id directly in XML (python-docx's setter is slow in bulk)."""
    p = paragraph._p
    props = p.makeelement(qn("w:pPr"), {})
    props.append(props.makeelement(qn("w:pStyle"), {qn("w:val"): style_id}))
    p.insert(0, props)


def append_paragraph(document: DocxDocument, style_id: str = BODY_STYLE) -> DocxParagraph:
    """document.add_paragraph in constant time, with a style.

    python-docx looks for the body's final sectPr from the first child on every call, which makes
    a body of many thousand quoted lines quadratic; the sectPr is always the last child.
    """
    body = document.element.body
    paragraph = body.makeelement(qn("w:p"), {})
    last = body[-1]
    if last.tag == qn("w:sectPr"):
        last.addprevious(paragraph)
    else:
        body.append(paragraph)
    wrapped = DocxParagraph(paragraph, document._body)
    style_fast(wrapped, style_id)
    return wrapped


def fast_run(
    paragraph: DocxParagraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 0
) -> None:
    """A run built straight in XML: python-docx's run API costs ~0.4 ms a run, too slow for
    appendix tables of thousands of rows. Line breaks in `text` become <w:br/>."""
    p = paragraph._p
    run = p.makeelement(qn("w:r"), {})
    if bold or italic or size:
        props = run.makeelement(qn("w:rPr"), {})
        # Children in the schema's order: b, i, sz.
        if bold:
            props.append(props.makeelement(qn("w:b"), {}))
        if italic:
            props.append(props.makeelement(qn("w:i"), {}))
        if size:
            props.append(props.makeelement(qn("w:sz"), {qn("w:val"): str(round(size * 2))}))
        run.append(props)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(run.makeelement(qn("w:br"), {}))
        piece = run.makeelement(qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        piece.text = line
        run.append(piece)
    p.append(run)

"""The city report as a DOCX file in the Decree 30/2020/NĐ-CP form, with its appendices."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_PARAGRAPH_ALIGNMENT
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from services.reporting.documents.docx_appendix import add_appendices
from services.reporting.documents.docx_parts import (
    BODY_PT,
    add_run,
    add_styles,
    append_paragraph,
    fast_run,
    page_setup,
    remove_borders,
    set_fonts,
    set_widths,
    short_rule,
    text_width,
)
from services.reporting.documents.meta import BLANK, DocumentMeta
from services.reporting.domain.submission import NarrativeSection, Submission
from services.reporting.domain.vi import format_date

HEADER_PT = 12  # Decree 30: 12–13 pt for the body name and the state name, 13–14 pt for the motto
MOTTO_PT = 13
RECIPIENTS_PT = 11


def render_docx(submission: Submission, meta: DocumentMeta | None = None) -> bytes:
    """The report (header, title, body, recipients and signature) followed by Phụ lục I–III."""
    meta = meta or DocumentMeta()
    document = Document()
    set_fonts(document)
    add_styles(document)
    page_setup(document.sections[0])
    _header(document, meta)
    _title(document, meta.subject or default_subject(submission))
    for section in submission.narrative:
        _body_section(document, section)
    _closing(document, meta)
    add_appendices(document, submission, meta)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def default_subject(submission: Submission) -> str:
    """The subject line when the compiler gives none: the plan and the period."""
    plan = submission.plan
    return (
        f"Kết quả thực hiện Kế hoạch số {plan.number or BLANK} của {plan.issuer_name} "
        f"từ ngày {format_date(submission.period_start)} đến ngày {format_date(submission.period_end)}"
    )


def _line(
    cell: _Cell, first: bool = False, align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER
) -> DocxParagraph:
    paragraph: DocxParagraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _two_columns(document: DocxDocument, left_share: float) -> tuple[_Cell, _Cell]:
    table = document.add_table(rows=1, cols=2)
    remove_borders(table)
    width = text_width(document.sections[0])
    set_widths(table, [int(width * left_share), width - int(width * left_share)])
    left, right = table.rows[0].cells
    return left, right


def _header(document: DocxDocument, meta: DocumentMeta) -> None:
    left, right = _two_columns(document, 0.375)
    lines = [(line, False) for line in meta.parent_body] + [(line, True) for line in meta.issuing_body]
    for i, (text, bold) in enumerate(lines):
        add_run(_line(left, first=i == 0), text.upper(), bold=bold, size=HEADER_PT)
    short_rule(_line(left), indent_cm=1.8)
    add_run(_line(left), meta.number_line, size=HEADER_PT)
    add_run(_line(right, first=True), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=HEADER_PT)
    add_run(_line(right), "Độc lập - Tự do - Hạnh phúc", bold=True, size=MOTTO_PT)
    short_rule(_line(right), indent_cm=2.5)
    add_run(_line(right), meta.date_line, italic=True, size=BODY_PT)


def _title(document: DocxDocument, subject: str) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(0)
    add_run(title, "BÁO CÁO", bold=True)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_after = Pt(0)
    add_run(line, subject, bold=True)
    short_rule(document.add_paragraph(), indent_cm=6.5)


def _body_paragraph(document: DocxDocument) -> DocxParagraph:
    return append_paragraph(document)


def _body_section(document: DocxDocument, section: NarrativeSection) -> None:
    if section.heading:
        add_run(_body_paragraph(document), section.heading, bold=True)
    for paragraph in section.paragraphs:
        target = _body_paragraph(document)
        if paragraph.kind == "subheading":
            add_run(target, paragraph.text, bold=True)
        elif paragraph.kind == "placeholder":
            # Highlighted so the compiler sees at a glance what is left to write.
            add_run(target, paragraph.text, italic=True).font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif paragraph.kind == "quote":
            fast_run(target, paragraph.text, italic=True)
        else:
            fast_run(target, paragraph.text)


def _closing(document: DocxDocument, meta: DocumentMeta) -> None:
    document.add_paragraph()
    left, right = _two_columns(document, 0.5)
    add_run(
        _line(left, first=True, align=WD_ALIGN_PARAGRAPH.LEFT), "Nơi nhận:", bold=True, italic=True, size=12
    )
    for recipient in meta.recipients:
        add_run(_line(left, align=WD_ALIGN_PARAGRAPH.LEFT), f"- {recipient}", size=RECIPIENTS_PT)
    for i, text in enumerate(meta.signature):
        add_run(_line(right, first=i == 0), text, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _line(right)
    add_run(_line(right), meta.signer_name or "[Họ và tên]", bold=True)

"""The DOCX report, opened with python-docx: Decree 30 form and appendix tables cell by cell."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from services.reporting.documents.docx import render_docx
from services.reporting.documents.meta import DocumentMeta
from services.reporting.domain import ReportingInputs, compile_submission
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, scenario
from tests.support.reporting.recount import (
    IN_PROGRESS,
    LATE,
    ON_TIME,
    OVERDUE,
    assignment_statuses,
    percent_text,
    report_counts,
    visible_result,
)
from tests.support.reporting.recount import task_status as recount_task_status

LABEL = {
    ON_TIME: "Hoàn thành đúng hạn",
    LATE: "Hoàn thành quá hạn",
    IN_PROGRESS: "Đang thực hiện trong hạn",
    OVERDUE: "Quá hạn chưa hoàn thành",
}


@pytest.fixture(scope="module")
def inputs() -> ReportingInputs:
    return scenario()


@pytest.fixture(scope="module")
def document(inputs: ReportingInputs) -> DocxDocument:
    submission = compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)
    return Document(io.BytesIO(render_docx(submission)))


def _close(length: int | None, cm: float) -> bool:
    return length is not None and abs(length - Cm(cm)) < Cm(0.02)


def test_pages_are_a4_with_decree_30_margins(document: DocxDocument) -> None:
    first = document.sections[0]
    assert _close(first.page_width, 21) and _close(first.page_height, 29.7)
    assert _close(first.top_margin, 2) and _close(first.bottom_margin, 2) and _close(first.left_margin, 3)
    assert Cm(1.5) - Cm(0.02) <= (first.right_margin or 0) <= Cm(2) + Cm(0.02)


def test_text_is_times_new_roman_14_including_the_east_asian_slot(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"
    }
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)


def test_header_has_issuer_number_motto_and_place_date(document: DocxDocument) -> None:
    header = document.tables[0]
    left, right = header.rows[0].cells
    left_lines = [p.text for p in left.paragraphs if p.text]
    assert left_lines == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG", "Số: …/BC-UBND"]
    assert all(r.bold for p in left.paragraphs[:2] for r in p.runs)
    lines = {p.text: p for p in right.paragraphs if p.text}
    assert list(lines) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hải Phòng, ngày … tháng … năm …",
    ]
    assert lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].runs[0].bold
    assert lines["Độc lập - Tự do - Hạnh phúc"].runs[0].bold
    assert lines["Hải Phòng, ngày … tháng … năm …"].runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_title_is_bold_and_centred_and_the_body_carries_sections_i_to_iii(document: DocxDocument) -> None:
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    texts = [p.text for p in document.paragraphs]
    positions = [
        texts.index(h) for h in ("I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ")
    ]
    assert positions == sorted(positions) and texts.index("BÁO CÁO") < positions[0]
    assert any(t.startswith("Tổng số 17 nhiệm vụ, đã hoàn thành đúng hạn") for t in texts)


def test_recipients_bottom_left_and_signature_bottom_right(document: DocxDocument) -> None:
    left, right = document.tables[1].rows[0].cells
    heading = left.paragraphs[0]
    assert heading.text == "Nơi nhận:"
    assert heading.runs[0].bold and heading.runs[0].italic and heading.runs[0].font.size == Pt(12)
    assert [p.text for p in left.paragraphs[1:]] == [
        "- Bộ Tư pháp;",
        "- TT Thành ủy, TT HĐND thành phố;",
        "- Lưu: VT.",
    ]
    signature = [p.text for p in right.paragraphs if p.text]
    assert signature[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert len(signature) == 4  # a name placeholder after the blank room for the signature


def test_appendix_i_lists_every_task_with_its_recounted_figures(
    document: DocxDocument, inputs: ReportingInputs
) -> None:
    appendix = document.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and _close(appendix.page_width, 29.7)
    table = document.tables[2]
    assert table.style is not None and table.style.name == "Table Grid"
    header_props = table.rows[0]._tr.trPr
    assert header_props is not None and header_props.find(qn("w:tblHeader")) is not None
    assert table.rows[0].cells[6].text == "Hoàn thành đúng hạn"
    statuses = assignment_statuses(inputs, AS_OF)
    for index, task in enumerate(inputs.tasks, start=1):
        cells = [c.text for c in table.rows[index].cells]
        mine = [a for a in inputs.assignments if a.task_id == task.id]
        due = "" if task.due is None else task.due.strftime("%d/%m/%Y")
        counts = [
            str(sum(1 for a in mine if statuses[a.id] == code))
            for code in (ON_TIME, LATE, IN_PROGRESS, OVERDUE)
        ]
        silent = sum(1 for a in mine if visible_result(inputs, a.id, AS_OF) is None)
        label = LABEL[recount_task_status(inputs, task.id, AS_OF)]
        assert cells[:11] == [
            str(index),
            task.ref,
            task.title,
            due,
            label,
            str(len(mine)),
            *counts,
            str(silent),
        ]


def test_appendix_ii_names_only_the_units_that_owe_a_report_or_sent_one_late(
    document: DocxDocument, inputs: ReportingInputs
) -> None:
    table = document.tables[4]
    assert [c.text for c in table.rows[0].cells][:8] == [
        "STT",
        "Đơn vị",
        "Loại đơn vị",
        "Số báo cáo phải gửi",
        "Đã nhận",
        "Đúng hạn",
        "Tỷ lệ đầy đủ",
        "Tỷ lệ đúng hạn",
    ]
    by_name = {u.name: u for u in inputs.units}
    owing = [
        u for u in inputs.units if (c := report_counts(inputs, {u.code}, PERIOD_START, PERIOD_END))[2] < c[0]
    ]
    assert 0 < len(owing) < len(inputs.units)
    assert sorted(row.cells[1].text for row in table.rows[1:]) == sorted(u.name for u in owing)
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        e, r, t = report_counts(inputs, {by_name[cells[1]].code}, PERIOD_START, PERIOD_END)
        assert cells[3:8] == [str(e), str(r), str(t), percent_text(r, e), percent_text(t, e)]
    city = document.tables[3].rows[-1].cells
    e, r, t = report_counts(inputs, set(by_name[n].code for n in by_name), PERIOD_START, PERIOD_END)
    assert [c.text for c in city] == [
        "Toàn thành phố",
        str(e),
        str(r),
        str(t),
        percent_text(r, e),
        percent_text(t, e),
    ]


def test_compiler_supplied_number_and_date_replace_the_placeholders(inputs: ReportingInputs) -> None:
    submission = compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)
    meta = DocumentMeta(number="125", signed_on=date(2026, 2, 5))
    header = Document(io.BytesIO(render_docx(submission, meta))).tables[0]
    text = header.rows[0].cells[0].text + header.rows[0].cells[1].text
    assert "Số: 125/BC-UBND" in text and "Hải Phòng, ngày 05 tháng 02 năm 2026" in text

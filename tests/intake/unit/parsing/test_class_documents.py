"""Issue 18's header and table classes as real documents: DOCX with Word tables and merged cells, and PDF.

The files come from tests/fixtures/documents/make_class_documents.py (python-docx, then LibreOffice).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from services.intake.parsing import PlanDraft, parse_document
from tests.support import FIXTURES

DOCUMENTS = FIXTURES / "documents"


def _parse(name: str) -> PlanDraft:
    path = DOCUMENTS / name
    return parse_document(path.read_bytes(), path.name)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_wards_header_table_gives_its_issuer_number_and_date_and_its_offices_resolve(fmt: str) -> None:
    draft = _parse(f"class_ward_header.{fmt}")
    assert draft.plan.issuer is not None
    assert (draft.plan.issuer.text, draft.plan.issuer.unit) == ("Ủy ban nhân dân phường An Biên", "11407")
    assert (draft.plan.number, draft.plan.issued_on) == ("0130/KH-UBND", date(2026, 3, 10))
    first, second = draft.tasks
    assert [u.unit for u in first.lead] == ["11407.VP"]
    assert [u.unit for u in first.coordinating] == ["11407.VHXH"]
    # The container label "Cơ quan thực hiện:" gives its roles from its sub-labels.
    assert ([u.unit for u in second.lead], [u.unit for u in second.coordinating]) == (
        ["11407.VHXH"],
        ["11407.CA"],
    )
    # "Từ 01/4/2026" starts the work; it never becomes a due date.
    assert (second.timeframe.kind, second.timeframe.start, second.timeframe.due) == (
        "ongoing",
        date(2026, 4, 1),
        None,
    )
    assert draft.reporting[0].recurrence == ["semiannual"]
    assert not any("tần suất báo cáo" in w for w in draft.warnings)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_task_table_with_merged_cells_repeated_header_and_restarting_numbers(fmt: str) -> None:
    draft = _parse(f"class_table_merged.{fmt}")
    rows = [(t.ref, t.group, [u.text for u in t.lead], [u.text for u in t.coordinating]) for t in draft.tasks]
    assert rows == [
        ("PL.I.1", "Hạ tầng số", ["Sở Khoa học và Công nghệ"], ["Các doanh nghiệp viễn thông"]),
        ("PL.I.2", "Hạ tầng số", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"]),
        ("PL.II.1", "Dữ liệu số", ["Công an tỉnh"], ["UBND các xã, phường"]),
    ]
    # A plan of another province: its units are kept as written and never matched to a Hải Phòng unit.
    assert all(u.unit is None and u.group is None for t in draft.tasks for u in t.lead + t.coordinating)
    assert all("lead" in t.review for t in draft.tasks)


def test_the_uploaders_unit_is_the_issuer_when_the_document_names_none() -> None:
    document = Document()
    for text in (
        "KẾ HOẠCH",
        "Tổ chức tuyên truyền an toàn giao thông",
        "Căn cứ tình hình thực tế, xây dựng Kế hoạch như sau:",
        "I. NỘI DUNG",
        "1. Treo khẩu hiệu tại các tuyến phố",
        "Cơ quan chủ trì: Văn phòng HĐND và UBND phường.",
        "Thời gian: Tháng 5/2026.",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    draft = parse_document(buffer.getvalue(), "ke-hoach.docx", uploader="11407")
    assert draft.plan.issuer is not None and draft.plan.issuer.unit == "11407"
    assert [u.unit for u in draft.tasks[0].lead] == ["11407.VP"]

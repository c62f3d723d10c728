"""Layouts the seeds lack: lettered blocks, "Đơn vị thực hiện", merged table cells, unit duties."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from services.intake.parsing import PlanDraft, parse_document
from services.intake.parsing.unit_split import split_units

HEADER = """ỦY BAN NHÂN DÂN
PHƯỜNG TÂN HƯNG
Số: 57/KH-UBND
Tân Hưng, ngày 03 tháng 3 năm 2026
KẾ HOẠCH
Tổ chức Ngày Pháp luật năm 2026
Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân thành phố Hải Phòng;
"""


def _parse_text(body: str) -> PlanDraft:
    return parse_document((HEADER + body).encode("utf-8"), "ke-hoach.txt")


def test_lettered_blocks_give_one_task_each() -> None:
    draft = _parse_text(
        """II. NHIỆM VỤ CỤ THỂ
1. Tổ chức hội nghị phổ biến pháp luật
a) Nội dung thực hiện: phổ biến các luật mới ban hành.
b) Đơn vị thực hiện: Phòng Văn hóa – Xã hội chủ trì, phối hợp với Công an phường.
c) Thời gian: Quý II/2026.
2. Rà soát văn bản quy phạm pháp luật
a) Nội dung thực hiện: rà soát, hệ thống hóa.
b) Đơn vị thực hiện: Văn phòng HĐND và UBND.
c) Thời hạn hoàn thành: trước ngày 15/12/2026.
"""
    )
    assert [t.ref for t in draft.tasks] == ["II.1", "II.2"]
    first, second = draft.tasks
    assert [u.text for u in first.lead] == ["Phòng Văn hóa – Xã hội"]
    assert [u.text for u in first.coordinating] == ["Công an phường"]
    assert first.timeframe.due == date(2026, 6, 30)
    assert second.timeframe.due == date(2026, 12, 15)
    assert draft.plan.number == "57/KH-UBND" and draft.plan.issued_on == date(2026, 3, 3)


def test_labels_with_other_words_are_read_as_the_same_fields() -> None:
    draft = _parse_text(
        """II. NỘI DUNG
1. Xây dựng tủ sách pháp luật
- Đơn vị chủ trì: Trung tâm Văn hóa, Thể thao và Truyền thông.
- Đơn vị phối hợp: Các phòng chuyên môn.
- Sản phẩm: Tủ sách được bổ sung.
- Thời hạn hoàn thành: Tháng 9/2026.
"""
    )
    (task,) = draft.tasks
    assert task.output == "Tủ sách được bổ sung"
    assert task.timeframe.due == date(2026, 9, 30)
    assert [u.text for u in task.lead] == ["Trung tâm Văn hóa, Thể thao và Truyền thông"]


def test_a_narrative_item_has_no_lead_and_asks_for_one() -> None:
    draft = _parse_text("II. NỘI DUNG\n1. Về cải cách hành chính\n- Đẩy mạnh số hóa hồ sơ.\n")
    (task,) = draft.tasks
    assert task.lead == [] and task.timeframe.kind == "unspecified"
    assert {"lead", "timeframe"} <= set(task.review)


def test_unit_duties_under_organisation_become_tasks_of_that_unit() -> None:
    draft = _parse_text(
        """III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội:
- Tham mưu tổ chức các hoạt động hưởng ứng.
- Tổng hợp, báo cáo kết quả về Ủy ban nhân dân phường trước ngày 20/11/2026.
2. Công an phường: Phối hợp bảo đảm an ninh, trật tự.
"""
    )
    leads = {t.ref: [u.text for u in t.lead] for t in draft.tasks}
    # Each duty under an agency heading is a task of its own (issue 18, class 8), led by the heading unit.
    assert leads == {
        "III.1.1": ["Phòng Văn hóa - Xã hội"],
        "III.1.2": ["Phòng Văn hóa - Xã hội"],
        "III.2": ["Công an phường"],
    }
    (report,) = draft.reporting
    assert [u.text for u in report.reporter] == ["Phòng Văn hóa - Xã hội"]
    assert report.recipient is not None and report.recipient.text == "Ủy ban nhân dân phường"
    assert report.due == date(2026, 11, 20)


def test_a_docx_table_with_merged_cells_and_group_rows_is_read_once_per_row() -> None:
    document = Document()
    for line in HEADER.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=5, cols=5)
    rows = [
        ["STT", "Nội dung công việc", "Cơ quan thực hiện", "", "Thời gian"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["I", "Tuyên truyền", "", "", ""],
        [
            "1",
            "Treo băng rôn, khẩu hiệu",
            "Trung tâm Văn hóa, Thể thao và Truyền thông",
            "Công an phường",
            "Tháng 11/2026",
        ],
        ["2", "Tổ chức cuộc thi tìm hiểu pháp luật", "Phòng Văn hóa - Xã hội", "", "Quý IV/2026"],
    ]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Cơ quan thực hiện"
    table.cell(2, 1).merge(table.cell(2, 4)).text = "Tuyên truyền"
    table.cell(3, 3).merge(table.cell(4, 3)).text = "Công an phường"
    buffer = io.BytesIO()
    document.save(buffer)
    draft = parse_document(buffer.getvalue(), "ke-hoach.docx")
    assert [(t.ref, t.group) for t in draft.tasks] == [("PL.1", "Tuyên truyền"), ("PL.2", "Tuyên truyền")]
    first = draft.tasks[0]
    assert [u.text for u in first.lead] == ["Trung tâm Văn hóa, Thể thao và Truyền thông"]
    assert [u.text for u in first.coordinating] == ["Công an phường"]
    assert draft.tasks[1].timeframe.due == date(2026, 12, 31)


def test_units_written_together_are_told_apart() -> None:
    assert split_units("Sở Tư pháp Sở Nội vụ") == ["Sở Tư pháp", "Sở Nội vụ"]
    assert split_units("Văn phòng HĐND và UBND, các cơ quan, đơn vị có liên quan.") == [
        "Văn phòng HĐND và UBND",
        "các cơ quan, đơn vị có liên quan",
    ]
    assert split_units("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert split_units("Các sở, ban, ngành và UBND cấp xã") == ["Các sở, ban, ngành và UBND cấp xã"]

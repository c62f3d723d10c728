"""Issue 18's failure classes, one synthetic plan (or more) each, as plain text."""

from __future__ import annotations

from datetime import date

from services.intake.parsing import PlanDraft, parse_document
from services.intake.parsing.model import UnitRef

HEADER = """ỦY BAN NHÂN DÂN TỈNH AN LẠC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc
Số: 41/KH-UBND\tAn Lạc, ngày 05 tháng 01 năm 2026
KẾ HOẠCH
Triển khai công tác phổ biến pháp luật năm 2026
Thực hiện Quyết định số 9/QĐ-UBND ngày 02/01/2026 của Ủy ban nhân dân tỉnh, tỉnh ban hành Kế hoạch.
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích: nâng cao nhận thức pháp luật của Nhân dân.
2. Yêu cầu: Các sở, ngành bảo đảm tiến độ, chất lượng.
"""


def _parse(body: str) -> PlanDraft:
    return parse_document((HEADER + body).encode("utf-8"), "ke-hoach.txt")


def _units(refs: list[UnitRef]) -> list[str]:
    return [u.text for u in refs]


def test_labels_without_a_dash_and_several_blocks_under_one_heading_bind_to_their_own_bullet() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
1. Tuyên truyền pháp luật
- Tổ chức hội nghị tuyên truyền cho cán bộ
Đơn vị chủ trì thực hiện: Sở Tư pháp.
Thời gian: Quý II/2026.
- Biên soạn tài liệu hỏi đáp pháp luật
Đơn vị chủ trì thực hiện: Sở Nội vụ.
Thời gian: Tháng 9/2026.
"""
    )
    assert [(t.title, _units(t.lead), t.timeframe.due) for t in draft.tasks] == [
        ("Tổ chức hội nghị tuyên truyền cho cán bộ", ["Sở Tư pháp"], date(2026, 6, 30)),
        ("Biên soạn tài liệu hỏi đáp pháp luật", ["Sở Nội vụ"], date(2026, 9, 30)),
    ]
    assert all(t.group == "Tuyên truyền pháp luật" for t in draft.tasks)


def test_one_label_block_after_several_sub_items_covers_them_all() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
1. Rà soát văn bản
a) Rà soát văn bản quy phạm pháp luật của tỉnh
b) Công bố danh mục văn bản hết hiệu lực
- Cơ quan chủ trì: Sở Tư pháp.
- Thời gian: Tháng 6/2026.
"""
    )
    assert [(t.ref, _units(t.lead)) for t in draft.tasks] == [
        ("II.1.a", ["Sở Tư pháp"]),
        ("II.1.b", ["Sở Tư pháp"]),
    ]


def test_a_container_label_takes_its_roles_from_its_sub_labels() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
1. Tổ chức Ngày Pháp luật
a) Nội dung: tổ chức các hoạt động hưởng ứng.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Tư pháp.
- Đơn vị phối hợp: Sở Nội vụ, Công an tỉnh.
c) Thời gian: Tháng 11/2026.
"""
    )
    (task,) = draft.tasks
    assert _units(task.lead) == ["Sở Tư pháp"]
    assert _units(task.coordinating) == ["Sở Nội vụ", "Công an tỉnh"]


def test_units_written_as_a_sentence_get_their_roles_from_the_verbs() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
1. Phòng, chống dịch bệnh mùa đông
- Cơ quan thực hiện: Sở Y tế chủ trì tham mưu, phối hợp với Sở Tài chính; Sở Giáo dục và Đào tạo, UBND các xã,
phường chủ động triển khai trong phạm vi chức năng, nhiệm vụ.
- Thời gian: Quý IV/2026.
"""
    )
    (task,) = draft.tasks
    assert _units(task.lead)[0] == "Sở Y tế"
    assert set(_units(task.lead) + _units(task.coordinating)) == {
        "Sở Y tế",
        "Sở Tài chính",
        "Sở Giáo dục và Đào tạo",
        "UBND các xã, phường",
    }


def test_timeframes_outside_the_old_rules_and_never_a_due_date_from_a_start() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
1. Số hóa hồ sơ
- Cơ quan chủ trì: Sở Nội vụ.
- Thời gian: Từ 01/3/2026.
2. Duy trì cổng dữ liệu
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Thời gian thực hiện Năm 2027 và những năm tiếp theo.
3. Sửa quy chế
- Cơ quan chủ trì: Sở Tư pháp.
- Thời hạn: Sau khi Thông tư được ban hành.
4. Khảo sát hiện trạng
- Cơ quan chủ trì: Sở Xây dựng.
- Thời gian: Quý IV/2025- Quý II/2026.
5. Kiểm tra định kỳ
- Cơ quan chủ trì: Thanh tra tỉnh.
- Thời gian: Thường xuyên, hằng năm.
"""
    )
    kinds = [(t.timeframe.kind, t.timeframe.start, t.timeframe.due) for t in draft.tasks]
    assert kinds == [
        ("ongoing", date(2026, 3, 1), None),
        ("ongoing", date(2027, 1, 1), None),
        ("on_direction", None, None),
        ("deadline", date(2025, 10, 1), date(2026, 6, 30)),
        ("recurring", None, None),
    ]


def test_a_text_table_with_one_cell_group_rows_repeated_headers_and_restarting_numbers() -> None:
    draft = _parse(
        """II. NHIỆM VỤ (chi tiết tại Phụ lục)
Nơi nhận: - Như trên.
PHỤ LỤC
DANH MỤC NHIỆM VỤ ĐẾN NĂM 2030
TT\tNội dung\tChủ trì\tPhối hợp
I. Thể chế
1\tBan hành quy chế phối hợp\tSở Tư pháp\tSở Nội vụ
2\tRà soát thủ tục hành chính\tVăn phòng UBND tỉnh\tCác sở, ban, ngành
II. Hạ tầng
TT\tNội dung\tChủ trì\tPhối hợp
1\tNâng cấp mạng diện rộng\tSở Khoa học và Công nghệ\tUBND các xã, phường, đặc khu
"""
    )
    assert [(t.ref, t.group, t.title) for t in draft.tasks] == [
        ("PL.I.1", "Thể chế", "Ban hành quy chế phối hợp"),
        ("PL.I.2", "Thể chế", "Rà soát thủ tục hành chính"),
        ("PL.II.1", "Hạ tầng", "Nâng cấp mạng diện rộng"),
    ]
    assert _units(draft.tasks[2].coordinating) == ["UBND các xã, phường, đặc khu"]
    assert all(t.timeframe.due == date(2030, 12, 31) for t in draft.tasks)  # the caption's "ĐẾN NĂM 2030"


def test_a_header_fused_after_the_body_on_one_line_is_still_read_by_its_columns() -> None:
    text = (
        "Số: 12/KH-UBND\tAn Lạc, ngày 03 tháng 02 năm 2026\tKẾ HOẠCH PHÒNG THỦ DÂN SỰ I. MỤC ĐÍCH "
        + "Bảo đảm thống nhất trong chỉ đạo điều hành phòng thủ dân sự trên địa bàn tỉnh. " * 3
        + "\tPHỤ LỤC DANH MỤC NHIỆM VỤ\tTT\tNội dung thực hiện\tCơ quan chủ trì\tCơ quan phối hợp"
        "\tThời gian\n"
        "I\tKIỆN TOÀN BỘ MÁY\n"
        "1\tKiện toàn Ban Chỉ huy\tBộ CHQS tỉnh\tCác sở, ban, ngành\tTrước ngày 30/11/2026\t......\t2\t"
        "Ban hành quy chế trực\tSở Nội vụ\tCơ quan liên quan\t2026\n"
    )
    draft = parse_document(text.encode("utf-8"), "trang-web.txt")
    assert draft.plan.number == "12/KH-UBND" and draft.plan.issued_on == date(2026, 2, 3)
    assert [(t.title, _units(t.lead), t.timeframe.due) for t in draft.tasks] == [
        ("Kiện toàn Ban Chỉ huy", ["Bộ CHQS tỉnh"], date(2026, 11, 30)),
        ("Ban hành quy chế trực", ["Sở Nội vụ"], date(2026, 12, 31)),
    ]


def test_sections_without_owners_are_not_tasks_when_a_table_assigns_the_work() -> None:
    draft = _parse(
        """II. MỤC TIÊU
1. Đến năm 2030, 100% hồ sơ được số hóa.
III. GIẢI PHÁP
1. Hoàn thiện thể chế
2. Đo lường, giám sát
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp: theo dõi, đôn đốc thực hiện Kế hoạch.
2. Sở Tài chính: bố trí kinh phí.
PHỤ LỤC
TT\tNhiệm vụ\tCơ quan chủ trì\tThời gian
1\tXây dựng cơ sở dữ liệu\tSở Tư pháp\tNăm 2026
"""
    )
    assert [t.title for t in draft.tasks] == ["Xây dựng cơ sở dữ liệu"]


def test_duties_grouped_by_agency_at_any_level_are_tasks_of_the_heading_unit() -> None:
    draft = _parse(
        """II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Nhiệm vụ chung
Tăng cường tuyên truyền phòng, chống ma túy.
2. Phân công trách nhiệm
2.1. Công an tỉnh
a) Chủ trì, phối hợp với các sở, ngành liên quan tham mưu triển khai Chương trình.
b) Chủ trì, phối hợp
- Sở Tài chính và các đơn vị có liên quan tham mưu bố trí kinh phí.
2.2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội
- Vận động hội viên tham gia phòng, chống ma túy.
2.3. Sở Y tế
Chủ trì triển khai Dự án 6 theo chỉ đạo của Bộ Y tế.
"""
    )
    rows = [(t.ref, _units(t.lead), _units(t.coordinating), t.timeframe.kind) for t in draft.tasks]
    assert rows == [
        ("II.2.1.a", ["Công an tỉnh"], ["các sở, ngành liên quan"], "unspecified"),
        ("II.2.1.b.1", ["Công an tỉnh"], ["Sở Tài chính", "các đơn vị có liên quan"], "unspecified"),
        (
            "II.2.2",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"],
            [],
            "unspecified",
        ),
        ("II.2.3", ["Sở Y tế"], [], "on_direction"),
    ]
    assert all(t.group for t in draft.tasks)


def test_a_general_clause_is_not_a_task_and_the_draft_says_so() -> None:
    draft = _parse(
        """II. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp: Chủ trì tổ chức Hội nghị tập huấn trong Quý I/2026.
2. Sở Nội vụ: Tổ chức thực hiện nghiêm túc Kế hoạch này.
3. Các sở, ban, ngành: Báo cáo kết quả thực hiện về Sở Tư pháp trước ngày 15/12 hằng năm.
"""
    )
    assert [t.ref for t in draft.tasks] == ["II.1"]
    assert any("II.2" in w and "không được tính là nhiệm vụ" in w for w in draft.warnings)


def test_a_plan_that_states_no_reporting_frequency_is_warned() -> None:
    draft = _parse(
        "II. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp: Chủ trì tổ chức hội nghị.\n2. Sở Nội vụ: Phối hợp.\n"
    )
    assert any("tần suất báo cáo" in w for w in draft.warnings)


def test_an_unreadable_section_is_warned_about() -> None:
    draft = _parse("II. NHIỆM VỤ CỤ THỂ\n")
    assert any("Không đọc được cấu trúc của mục II" in w for w in draft.warnings)


def test_a_table_whose_header_is_lost_is_read_by_its_columns_content_with_a_warning() -> None:
    draft = _parse(
        """II. NHIỆM VỤ (chi tiết tại Phụ lục)
PHỤ LỤC
1\tXây dựng cơ sở dữ liệu hộ tịch điện tử\tSở Tư pháp\tCông an tỉnh\tQuý III/2026
2\tSố hóa sổ hộ tịch lưu trữ tại các xã\tUBND các xã, phường\tSở Tư pháp\tThường xuyên
3\tTập huấn nghiệp vụ cho công chức tư pháp\tSở Tư pháp\tSở Nội vụ\tNăm 2026
"""
    )
    rows = [(t.ref, t.title, _units(t.lead), _units(t.coordinating), t.timeframe.kind) for t in draft.tasks]
    assert rows == [
        ("PL.1", "Xây dựng cơ sở dữ liệu hộ tịch điện tử", ["Sở Tư pháp"], ["Công an tỉnh"], "deadline"),
        ("PL.2", "Số hóa sổ hộ tịch lưu trữ tại các xã", ["UBND các xã, phường"], ["Sở Tư pháp"], "ongoing"),
        ("PL.3", "Tập huấn nghiệp vụ cho công chức tư pháp", ["Sở Tư pháp"], ["Sở Nội vụ"], "deadline"),
    ]
    assert any("không có dòng tiêu đề" in w for w in draft.warnings)


def test_a_numbered_table_that_cannot_be_read_is_never_silently_dropped() -> None:
    draft = _parse(
        """II. NHIỆM VỤ
PHỤ LỤC
1\t25%\t40%\t60%
2\t30%\t45%\t70%
3\t35%\t50%\t80%
"""
    )
    assert any("chưa được đọc thành nhiệm vụ" in w for w in draft.warnings)


def test_an_item_without_labels_whose_subject_is_a_unit_has_that_unit() -> None:
    draft = _parse(
        """II. NỘI DUNG
1. Các sở, ngành có trách nhiệm rà soát thủ tục hành chính thuộc lĩnh vực quản lý, phối hợp với Sở Tư pháp.
2. Đẩy mạnh ứng dụng công nghệ thông tin.
"""
    )
    first, second = draft.tasks
    assert (_units(first.lead), _units(first.coordinating)) == (["Các sở, ngành"], ["Sở Tư pháp"])
    assert second.lead == [] and "lead" in second.review


def test_agency_headings_written_with_capitals_and_decimal_numbers_keep_their_refs() -> None:
    draft = _parse(
        """II. TỔ CHỨC THỰC HIỆN
2. Phân công trách nhiệm
2.1. Sở Tài chính
Bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách.
2.2. Các Sở, ban, ngành khác
Căn cứ chức năng, nhiệm vụ, phối hợp với Sở Tư pháp triển khai các nội dung liên quan.
"""
    )
    assert [(t.ref, _units(t.lead)) for t in draft.tasks] == [
        ("II.2.1", ["Sở Tài chính"]),
        ("II.2.2", ["Các Sở, ban, ngành khác"]),
    ]


def test_a_placeholder_heading_takes_its_content_and_a_time_stated_there_with_the_plans_year() -> None:
    draft = _parse(
        """II. NỘI DUNG HOẠT ĐỘNG
1. Truyền thông phòng, chống bạo lực gia đình
a) Hoạt động 1
- Nội dung: Tổ chức Tháng hành động (từ ngày 15/11 đến ngày 15/12) trên địa bàn tỉnh.
- Cơ quan thực hiện: Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các sở, ban, ngành, đoàn thể tỉnh,
Ủy ban nhân dân các xã, phường, báo, đài và các đơn vị có liên quan.
"""
    )
    (task,) = draft.tasks
    assert task.title.startswith("Tổ chức Tháng hành động")
    assert (task.timeframe.kind, task.timeframe.due) == ("deadline", date(2026, 12, 15))
    assert _units(task.lead) == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert _units(task.coordinating) == [
        "các sở, ban, ngành, đoàn thể tỉnh",
        "Ủy ban nhân dân các xã, phường",
        "báo, đài",
        "các đơn vị có liên quan",
    ]

"""The unit-name grammar and clause roles (issue 18, classes 3 and 4): where names end, who leads."""

from __future__ import annotations

import pytest

from services.intake.parsing.clauses import partners, read_roles
from services.intake.parsing.unit_split import split_units


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("UBND các xã, phường, đặc khu", ["UBND các xã, phường, đặc khu"]),
        ("Báo và Phát thanh, Truyền hình tỉnh", ["Báo và Phát thanh, Truyền hình tỉnh"]),
        ("Trung tâm Dịch vụ việc làm (Sở Nội vụ)", ["Trung tâm Dịch vụ việc làm (Sở Nội vụ)"]),
        ("các cơ quan, đơn vị thuộc UBND phường", ["các cơ quan, đơn vị thuộc UBND phường"]),
        ("Sở Tư pháp Sở Nội vụ", ["Sở Tư pháp", "Sở Nội vụ"]),
        ("Viện, Trường", ["Viện, Trường"]),
        ("Công an, lực lượng Hải quan", ["Công an", "lực lượng Hải quan"]),
        ("Sở Tài chính và cơ quan, địa phương liên quan", ["Sở Tài chính", "cơ quan, địa phương liên quan"]),
        (
            "Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan",
            ["Ủy ban nhân dân phường, xã, đặc khu", "báo, đài", "các đơn vị có liên quan"],
        ),
        (
            "các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội",
            ["các sở, ban, ngành", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"],
        ),
        ("Ban Tuyên giáo và Dân vận Tỉnh ủy", ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]),
        ("Các sở, ngành có liên quan theo chức năng, nhiệm vụ", ["Các sở, ngành có liên quan"]),
    ],
)
def test_a_list_of_units_splits_only_where_a_new_name_opens(written: str, names: list[str]) -> None:
    assert split_units(written) == names


@pytest.mark.parametrize(
    "fragment", ["Đơn vị phối hợp", "Cơ quan chủ trì", "phường", "thuộc tỉnh", "chủ trì"]
)
def test_label_words_and_fragments_are_never_units(fragment: str) -> None:
    assert split_units(fragment) == []


def test_roles_come_from_the_verbs_and_qualifiers_are_not_names() -> None:
    roles = read_roles(
        "Sở Y tế chủ trì tham mưu; Sở Giáo dục và Đào tạo, UBND các xã, phường chủ động triển khai "
        "trong phạm vi chức năng"
    )
    assert roles.lead == ["Sở Y tế", "Sở Giáo dục và Đào tạo", "UBND các xã, phường"]
    roles = read_roles("Sở Nội vụ chủ trì, phối hợp với Sở Tài chính, Công an tỉnh và các đơn vị liên quan")
    assert (roles.lead, roles.coordinating) == (
        ["Sở Nội vụ"],
        ["Sở Tài chính", "Công an tỉnh", "các đơn vị liên quan"],
    )
    assert read_roles("Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu").lead == [
        "Sở Khoa học và Công nghệ"
    ]
    assert read_roles("Hội đồng phối hợp phổ biến, giáo dục pháp luật").lead == [
        "Hội đồng phối hợp phổ biến, giáo dục pháp luật"
    ]
    assert read_roles("Doanh nghiệp, nhà cung cấp dịch vụ, nhà đầu tư").lead == [
        "Doanh nghiệp, nhà cung cấp dịch vụ, nhà đầu tư"
    ]


def test_partners_are_read_wherever_the_duty_names_them() -> None:
    duty = (
        "Tổ chức tập huấn cho cán bộ. Phối hợp chặt chẽ với Viện kiểm sát nhân dân tỉnh, "
        "Tòa án nhân dân tỉnh đẩy nhanh tiến độ xét xử; thực hiện quy chế phối hợp về công tác cai nghiện"
    )
    assert partners(duty) == ["Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"]

"""Linking a ward plan's tasks to the city tasks they carry out."""

from __future__ import annotations

from services.tasks.use_cases.cascade import fold, match_tasks, similarity

CITY = [
    {
        "ref": "PL.1",
        "title": "Tăng cường truyền thông thường xuyên, sâu rộng về kết quả thực hiện Nghị quyết số 66",
    },
    {"ref": "PL.4", "title": "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của địa phương"},
]


def test_a_task_naming_its_city_task_is_linked_to_it_and_not_flagged() -> None:
    ward = [{"ref": "1", "title": "Một việc khác hẳn", "implements_task_ref": "PL.4"}]
    [link] = match_tasks(ward, CITY, threshold=0.55)
    assert (link.parent_task_ref, link.method, link.flagged, link.score) == ("PL.4", "explicit", False, 1.0)


def test_a_task_without_a_reference_is_linked_by_its_title_and_flagged_for_a_person() -> None:
    ward = [
        {"ref": "2", "title": "Tăng cường truyền thông thường xuyên về kết quả thực hiện Nghị quyết số 66"}
    ]
    [link] = match_tasks(ward, CITY, threshold=0.55)
    assert (link.parent_task_ref, link.method, link.flagged) == ("PL.1", "similarity", True)
    assert 0.55 <= link.score < 1


def test_a_task_resembling_no_city_task_is_not_linked() -> None:
    ward = [{"ref": "3", "title": "Mua sắm trang thiết bị văn phòng"}]
    assert match_tasks(ward, CITY, threshold=0.55) == []


def test_a_reference_to_a_task_the_city_plan_lacks_falls_back_to_the_title() -> None:
    ward = [{"ref": "4", "title": "Mua sắm trang thiết bị", "implements_task_ref": "PL.99"}]
    assert match_tasks(ward, CITY, threshold=0.55) == []


def test_titles_compare_without_diacritics_case_or_punctuation() -> None:
    assert fold("Rà soát, hệ thống hóa – Đô thị") == "ra soat he thong hoa do thi"
    assert similarity("Rà soát văn bản", "RA SOAT VAN BAN") == 1.0

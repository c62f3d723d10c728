"""Splitting a cell that names several units, keeping each piece's text as written."""

from __future__ import annotations

import pytest

from dondoc.directory import Directory, load_default_directory

AN_BIEN = "11407"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_default_directory()


def _texts(directory: Directory, cell: str, context: str | None = None) -> list[str]:
    return [piece.text for piece in directory.split_units(cell, context)]


def test_a_ward_cell_splits_into_office_group_and_units_concerned(directory: Directory) -> None:
    pieces = directory.split_units(
        "Văn phòng HĐND và UBND, các phòng chuyên môn và các cơ quan, đơn vị có liên quan", AN_BIEN
    )
    assert [p.text for p in pieces] == [
        "Văn phòng HĐND và UBND",
        "các phòng chuyên môn",
        "các cơ quan, đơn vị có liên quan",
    ]
    assert pieces[0].unit == f"{AN_BIEN}.VP"
    assert pieces[1].group == f"G.OFFICES:{AN_BIEN}"
    assert pieces[2].needs_designation


def test_two_departments_run_together_split_in_two(directory: Directory) -> None:
    pieces = directory.split_units("Sở Tư pháp Sở Nội vụ")
    assert [p.text for p in pieces] == ["Sở Tư pháp", "Sở Nội vụ"]
    assert all(p.unit for p in pieces)


def test_an_unknown_name_run_together_with_a_known_one_is_kept_apart(directory: Directory) -> None:
    pieces = directory.split_units("Sở Ngoại giao Sở Tư pháp")
    assert [p.text for p in pieces] == ["Sở Ngoại giao", "Sở Tư pháp"]
    assert not pieces[0].resolved and pieces[1].resolved


def test_a_listed_department_prefix_applies_to_each_name(directory: Directory) -> None:
    pieces = directory.split_units("Các sở: Tư pháp, Tài chính, Nội vụ")
    assert [p.text for p in pieces] == ["Tư pháp", "Tài chính", "Nội vụ"]
    assert [p.unit for p in pieces] == [directory.resolve(f"Sở {p.text}").unit for p in pieces]
    assert all(p.unit for p in pieces)


@pytest.mark.parametrize(
    "name",
    [
        "Văn phòng HĐND và UBND",
        "Sở Giáo dục và Đào tạo",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Nông nghiệp và Môi trường",
        "Các sở, ban, ngành và UBND cấp xã",
    ],
)
def test_va_and_commas_inside_a_name_do_not_split_it(directory: Directory, name: str) -> None:
    assert _texts(directory, name, AN_BIEN) == [name]


@pytest.mark.parametrize("separator", [", ", "; ", " và ", " / ", "/", "\n", ";\n"])
def test_every_separator_splits_two_names(directory: Directory, separator: str) -> None:
    assert _texts(directory, f"Sở Y tế{separator}Sở Giáo dục và Đào tạo") == [
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
    ]


def test_a_name_wrapped_over_two_lines_stays_one_piece(directory: Directory) -> None:
    pieces = directory.split_units("Các phòng chuyên môn và các cơ quan, đơn vị có liên \nquan.", AN_BIEN)
    assert [p.text for p in pieces] == ["Các phòng chuyên môn", "các cơ quan, đơn vị có liên quan"]


def test_a_city_plan_heading_splits_departments_from_local_government(directory: Directory) -> None:
    pieces = directory.split_units("Các sở, ban, ngành thành phố và chính quyền địa phương")
    assert [p.text for p in pieces] == ["Các sở, ban, ngành thành phố", "chính quyền địa phương"]
    assert [p.group for p in pieces] == ["G.CITY_DEPARTMENTS", "G.COMMUNES"]
    assert pieces[1].uncertain


def test_resolving_a_combination_of_groups_gives_a_combined_code(directory: Directory) -> None:
    found = directory.resolve("UBND cấp xã, các sở, ngành")
    assert found.group == "G.COMMUNES+G.CITY_DEPARTMENTS"
    assert sorted(directory.expand(found.group)) == sorted(
        directory.expand("G.COMMUNES") + directory.expand("G.CITY_DEPARTMENTS")
    )


def test_an_empty_cell_names_nobody(directory: Directory) -> None:
    assert directory.split_units("  \n ") == []

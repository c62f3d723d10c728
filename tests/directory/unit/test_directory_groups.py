"""Collective names expand to the units they stand for, counted from the CSV files."""

from __future__ import annotations

import pytest

from dondoc.directory import Directory, UnknownCode, load_default_directory
from tests.support.directory_csv import bodies, commune_codes, communes, offices_for

AN_BIEN = "11407"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_default_directory()


def test_all_commune_level_committees_expand_to_every_commune(directory: Directory) -> None:
    assert directory.expand("G.COMMUNES") == commune_codes()
    assert len(directory.expand("G.COMMUNES")) == len(communes())


def test_city_departments_are_the_confirmed_departments_only(directory: Directory) -> None:
    names = [directory.unit(code).name for code in directory.expand("G.CITY_DEPARTMENTS")]
    expected = [
        r["name"] for r in bodies() if r["kind"] in ("department", "board") and r["status"] == "confirmed"
    ]
    assert names == expected


def test_the_city_departments_group_holds_the_boards_and_the_city_committees_office() -> None:
    directory = load_default_directory()
    names = {directory.unit(code).name for code in directory.expand("G.CITY_DEPARTMENTS")}
    assert {"Ban Quản lý Khu kinh tế Hải Phòng", "Văn phòng Ủy ban nhân dân thành phố", "Sở Tư pháp"} <= names
    # Not "sở, ban, ngành": the council's own office, an inter-agency council, coordinating bodies, and
    # departments that may not exist in the merged city.
    for outside in (
        "Văn phòng Đoàn ĐBQH và HĐND thành phố",
        "Hội đồng phối hợp phổ biến, giáo dục pháp luật",
        "Công an thành phố",
        "Hội Luật gia thành phố",
        "Sở Ngoại vụ",
    ):
        assert outside not in names
    assert len(names) == 13


@pytest.mark.parametrize("row", communes(), ids=lambda r: r["code"])
def test_a_communes_offices_are_those_its_kind_has(directory: Directory, row: dict[str, str]) -> None:
    standard = offices_for(row["kind"])
    assert len(directory.offices(row["code"])) == len(standard)
    specialised = [r for r in standard if "coordinating body" not in r["note"]]
    assert len(directory.expand(f"G.OFFICES:{row['code']}")) == len(specialised)


def test_the_offices_group_is_relative_to_the_issuing_ward(directory: Directory) -> None:
    found = directory.resolve("Các phòng chuyên môn", AN_BIEN)
    assert directory.expand(found.group or "", AN_BIEN) == [
        u.code for u in directory.offices(AN_BIEN) if u.kind == "commune_office"
    ]
    assert f"{AN_BIEN}.VP" in directory.expand(found.group or "")
    assert directory.expand("G.OFFICES", f"{AN_BIEN}.VP") == directory.expand(f"G.OFFICES:{AN_BIEN}")


def test_the_offices_group_without_a_ward_asks_for_context(directory: Directory) -> None:
    found = directory.resolve("Các phòng chuyên môn")
    assert found.needs_context and found.group is None


def test_a_combined_group_expands_to_the_union(directory: Directory) -> None:
    found = directory.resolve("Các sở, ban, ngành và UBND cấp xã")
    expanded = directory.expand(found.group or "")
    assert len(expanded) == len(directory.expand("G.CITY_DEPARTMENTS")) + len(communes())


def test_members_of_a_commune_are_its_offices(directory: Directory) -> None:
    assert directory.members(AN_BIEN) == [u.code for u in directory.offices(AN_BIEN)]
    assert directory.members("G.COMMUNES") == commune_codes()


def test_an_unknown_group_is_an_error(directory: Directory) -> None:
    with pytest.raises(UnknownCode):
        directory.expand("G.NOBODY")
    with pytest.raises(UnknownCode):
        directory.expand("G.OFFICES")


def test_groups_are_listed_with_vietnamese_labels(directory: Directory) -> None:
    codes = [g.code for g in directory.groups()]
    assert codes[:2] == ["G.CITY_DEPARTMENTS", "G.COMMUNES"]
    assert len(codes) == 2 + len(communes())


def test_every_group_listed_expands_even_with_a_unit_code_holding_the_group_joiner() -> None:
    # Issue 14.17: an administrator's unit "X+Y" (a commune) made GET /directory/groups answer 500, because
    # "G.OFFICES:X+Y" splits into "G.OFFICES:X" and "Y". Such a code is refused now; one kept from before
    # must not break the listing.
    from datetime import date

    from dondoc.directory import load_default_directory
    from dondoc.directory.model import Unit

    directory = load_default_directory().add(
        Unit(code="X+Y", name="Phường Thử Nghiệm", kind="phuong", parent="HP"), date(2026, 1, 1)
    )
    for group in directory.groups():
        assert directory.expand(group.code) is not None
    assert "X+Y" in directory.expand("G.COMMUNES")

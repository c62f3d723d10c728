"""Resolving one unit name, however a plan spells it, and never guessing."""

from __future__ import annotations

import unicodedata

import pytest

from dondoc.directory import Directory, load_default_directory
from tests.support.directory_csv import bodies, communes, legacy

CAM_GIANG, CAM_GIANG_HUYEN = "10888", "10903"
AN_BIEN = "11407"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_default_directory()


def _code_of(directory: Directory, name: str) -> str:
    """Find a city body's code by its exact name in the directory (not through the resolver)."""
    return next(u.code for u in directory.units if u.name == name)


def test_cam_giang_and_cam_giang_huyen_stay_two_communes(directory: Directory) -> None:
    assert directory.resolve("Xã Cẩm Giang").unit == CAM_GIANG
    assert directory.resolve("Xã Cẩm Giàng").unit == CAM_GIANG_HUYEN
    assert directory.resolve("UBND xã Cẩm Giàng").unit == CAM_GIANG_HUYEN


def test_a_name_written_without_diacritics_is_not_guessed(directory: Directory) -> None:
    found = directory.resolve("Xa Cam Giang")
    assert found.unit is None
    assert set(found.candidates) >= {CAM_GIANG, CAM_GIANG_HUYEN}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Phường Thuỷ Nguyên", "11560"),
        ("Uỷ ban nhân dân phường Hoà Bình", "11533"),
        ("UBND xã Kiến Thuỵ", "11680"),
        ("Phường Việt Hoà", "10543"),
        ("xã vĩnh hoà", "11848"),
    ],
)
def test_old_tone_placement_resolves_like_the_new(directory: Directory, written: str, code: str) -> None:
    assert directory.resolve(written).unit == code


def test_decomposed_unicode_resolves_and_comes_back_composed(directory: Directory) -> None:
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân phường An Biên")
    found = directory.resolve(nfd)
    assert found.unit == AN_BIEN
    assert found.text == unicodedata.normalize("NFC", nfd)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("STP", "Sở Tư pháp"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("sở gdđt", "Sở Giáo dục và Đào tạo"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("VP UBND TP", "Văn phòng Ủy ban nhân dân thành phố"),
        ("Văn phòng UBND thành phố", "Văn phòng Ủy ban nhân dân thành phố"),
        ("SỞ TƯ PHÁP", "Sở Tư pháp"),
        ("Sở Tư pháp thành phố Hải Phòng", "Sở Tư pháp"),
        ("Sở  Tư   pháp thành phố", "Sở Tư pháp"),
        ("Sở Văn hoá - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
def test_abbreviations_case_spacing_and_trailing_city_words(
    directory: Directory, written: str, name: str
) -> None:
    assert directory.resolve(written).unit == _code_of(directory, name)


@pytest.mark.parametrize(
    ("written", "suffix"),
    [
        ("Văn phòng HĐND và UBND", "VP"),
        ("VP HĐND và UBND", "VP"),
        ("Văn phòng HĐND - UBND phường", "VP"),
        ("Phòng Văn hóa – Xã hội", "VHXH"),
        ("Phòng Văn hoá-Xã hội", "VHXH"),
        ("phòng VH-XH", "VHXH"),
        ("TT PVHCC", "PVHCC"),
        ("Trung tâm Phục vụ hành chính công", "PVHCC"),
        ("Công an phường", "CA"),
        ("BCH Quân sự phường", "QS"),
        ("UBMTTQVN phường", "MTTQ"),
        ("Ủy ban MTTQ Việt Nam", "MTTQ"),
    ],
)
def test_a_wards_office_is_found_relative_to_the_issuing_ward(
    directory: Directory, written: str, suffix: str
) -> None:
    assert directory.resolve(written, AN_BIEN).unit == f"{AN_BIEN}.{suffix}"
    assert directory.resolve(written, f"{AN_BIEN}.VP").unit == f"{AN_BIEN}.{suffix}"


def test_the_ward_itself_is_found_by_its_short_names(directory: Directory) -> None:
    for written in ("UBND phường", "Ủy ban nhân dân phường", "Uỷ ban nhân dân"):
        assert directory.resolve(written, AN_BIEN).unit == AN_BIEN


def test_a_commune_uses_phong_kinh_te_and_a_ward_its_longer_name(directory: Directory) -> None:
    xa = next(r["code"] for r in communes() if r["kind"] == "xa")
    assert directory.resolve("Phòng Kinh tế", xa).unit == f"{xa}.KT"
    assert not directory.resolve("Phòng Kinh tế", xa).uncertain
    assert directory.resolve("Phòng Kinh tế, Hạ tầng và Đô thị", AN_BIEN).unit == f"{AN_BIEN}.KT"
    assert directory.resolve("Phòng Kinh tế", AN_BIEN).uncertain


def test_an_office_named_with_its_ward_needs_no_context(directory: Directory) -> None:
    assert directory.resolve("Văn phòng HĐND và UBND phường An Biên").unit == f"{AN_BIEN}.VP"
    assert directory.resolve("Công an xã Cẩm Giàng").unit == f"{CAM_GIANG_HUYEN}.CA"


def test_an_office_without_its_ward_asks_which_ward(directory: Directory) -> None:
    found = directory.resolve("Văn phòng HĐND và UBND")
    assert found.needs_context and found.unit is None
    assert len(found.candidates) == len(communes())


@pytest.mark.parametrize("row", legacy(), ids=lambda r: r["legacy_name"])
def test_a_legacy_department_resolves_to_the_body_that_took_over(
    directory: Directory, row: dict[str, str]
) -> None:
    found = directory.resolve(row["legacy_name"])
    assert found.legacy
    assert found.unit == _code_of(directory, row["now"])


def test_every_city_body_resolves_by_its_name_and_aliases(directory: Directory) -> None:
    for row in bodies():
        code = _code_of(directory, row["name"])
        for written in [row["name"], *filter(None, row["aliases"].split("|"))]:
            found = directory.resolve(written)
            assert (found.unit, found.legacy) == (code, False), written


def test_city_body_codes_are_readable_slugs(directory: Directory) -> None:
    assert directory.get("HP.SO-TU-PHAP") is not None
    assert directory.unit("HP.SO-TU-PHAP").name == "Sở Tư pháp"


@pytest.mark.parametrize(
    "written",
    [
        "các cơ quan, đơn vị có liên quan",
        "Các cơ quan, đơn vị khác có liên quan",
        "các đơn vị liên quan",
        "Các cơ quan, tổ chức, cá nhân có liên quan",
    ],
)
def test_the_units_concerned_must_be_designated_by_a_person(directory: Directory, written: str) -> None:
    found = directory.resolve(written, AN_BIEN)
    assert found.needs_designation
    assert (found.unit, found.group, found.candidates) == (None, None, ())


def test_an_unknown_name_is_returned_unresolved_with_close_names(directory: Directory) -> None:
    found = directory.resolve("Sở Tư phap")
    assert not found.resolved
    assert _code_of(directory, "Sở Tư pháp") in found.candidates


def test_a_ministry_is_recognised_as_outside_the_directory(directory: Directory) -> None:
    found = directory.resolve("Bộ Tư pháp")
    assert found.external and not found.resolved


def test_the_city_committee_resolves_from_its_usual_names(directory: Directory) -> None:
    for written in (
        "UBND thành phố Hải Phòng",
        "Ủy ban nhân dân thành phố",
        "UBND TP",
        "Uỷ ban nhân dân thành phố",
    ):
        assert directory.resolve(written).unit == directory.city

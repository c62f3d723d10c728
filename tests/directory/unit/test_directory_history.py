"""The directory changes over time without forgetting: old names keep resolving."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.directory import Directory, DirectoryDataError, Unit, load_default_directory
from tests.support.directory_csv import commune_codes, offices_for

AN_BIEN, LE_CHAN = "11407", "11383"
DAY = date(2027, 1, 1)


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_default_directory()


def test_a_renamed_department_keeps_its_code_and_old_name(directory: Directory) -> None:
    changed = directory.rename("HP.SO-Y-TE", "Sở Y tế và Dân số", DAY)
    assert changed.resolve("Sở Y tế và Dân số").unit == "HP.SO-Y-TE"
    old = changed.resolve("Sở Y tế")
    assert (old.unit, old.legacy) == ("HP.SO-Y-TE", True)
    assert changed.as_of(date(2026, 6, 1)).unit("HP.SO-Y-TE").name == "Sở Y tế"
    assert directory.unit("HP.SO-Y-TE").name == "Sở Y tế"  # the original value is untouched


def test_a_renamed_ward_renames_its_offices(directory: Directory) -> None:
    changed = directory.rename(AN_BIEN, "Phường An Biên Mới", DAY)
    assert changed.resolve("UBND phường An Biên Mới").unit == AN_BIEN
    assert changed.resolve("Phường An Biên").unit == AN_BIEN
    assert changed.resolve("Phường An Biên").legacy
    assert changed.unit(f"{AN_BIEN}.VP").name.endswith("phường An Biên Mới")
    assert changed.as_of(date(2026, 1, 1)).unit(AN_BIEN).name == "UBND phường An Biên"


def test_merged_wards_resolve_to_their_successor(directory: Directory) -> None:
    successor = Unit(code="99001", name="Phường Lê Chân Mới", kind="phuong", parent="HP")
    changed = directory.merge([AN_BIEN, LE_CHAN], successor, DAY)
    for old in ("UBND phường An Biên", "Phường Lê Chân"):
        found = changed.resolve(old)
        assert (found.unit, found.legacy) == ("99001", True)
    assert changed.resolve("Văn phòng HĐND và UBND phường An Biên").unit == "99001.VP"
    assert len(changed.offices("99001")) == len(offices_for("phuong"))
    assert len(changed.expand("G.COMMUNES")) == len(commune_codes()) - 1
    assert changed.unit(AN_BIEN).successors == ("99001",)
    assert changed.unit(AN_BIEN).valid_to == DAY


def test_the_directory_as_it_stood_before_a_merge(directory: Directory) -> None:
    successor = Unit(code="99001", name="Phường Lê Chân Mới", kind="phuong", parent="HP")
    changed = directory.merge([AN_BIEN, LE_CHAN], successor, DAY)
    before = changed.as_of(date(2026, 12, 31))
    assert before.resolve("UBND phường An Biên").unit == AN_BIEN
    assert before.get("99001") is None
    assert len(before.expand("G.COMMUNES")) == len(commune_codes())
    assert [c.action for c in changed.changes] == ["add", "merge"]
    assert before.changes == ()


def test_a_merge_into_an_existing_unit(directory: Directory) -> None:
    changed = directory.merge(["HP.SO-NGOAI-VU"], "HP.SO-NOI-VU", DAY)
    found = changed.resolve("Sở Ngoại vụ")
    assert (found.unit, found.legacy) == ("HP.SO-NOI-VU", True)


def test_a_closed_unit_still_resolves_flagged(directory: Directory) -> None:
    changed = directory.close("HP.SO-DAN-TOC-VA-TON-GIAO", DAY)
    found = changed.resolve("Sở Dân tộc và Tôn giáo")
    assert (found.unit, found.legacy) == ("HP.SO-DAN-TOC-VA-TON-GIAO", True)
    assert changed.get("HP.SO-DAN-TOC-VA-TON-GIAO") is not None
    assert "HP.SO-DAN-TOC-VA-TON-GIAO" not in [u.code for u in changed.list_units()]


def test_a_closed_ward_leaves_the_communes_group(directory: Directory) -> None:
    changed = directory.close(AN_BIEN, DAY)
    assert AN_BIEN not in changed.expand("G.COMMUNES")
    assert changed.offices(AN_BIEN) == []
    assert AN_BIEN in changed.as_of(date(2026, 1, 1)).expand("G.COMMUNES")


def test_an_added_commune_gets_its_standard_offices(directory: Directory) -> None:
    changed = directory.add(Unit(code="99002", name="Xã Mới", kind="xa", parent="HP"), DAY)
    assert changed.resolve("UBND xã Mới").unit == "99002"
    assert changed.resolve("Phòng Kinh tế", "99002").unit == "99002.KT"
    assert len(changed.offices("99002")) == len(offices_for("xa"))
    assert changed.as_of(date(2026, 1, 1)).get("99002") is None


def test_history_refuses_impossible_changes(directory: Directory) -> None:
    with pytest.raises(DirectoryDataError):
        directory.add(Unit(code=AN_BIEN, name="Phường Trùng", kind="phuong"), DAY)
    with pytest.raises(DirectoryDataError):
        directory.rename("HP.NOBODY", "Sở Mới", DAY)
    closed = directory.close("HP.SO-Y-TE", DAY)
    with pytest.raises(DirectoryDataError):
        closed.close("HP.SO-Y-TE", DAY)


def test_legacy_departments_were_in_force_before_the_reform(directory: Directory) -> None:
    before = directory.as_of(date(2025, 6, 30))
    assert before.resolve("Sở Kế hoạch và Đầu tư").unit == "HP.SO-KE-HOACH-VA-DAU-TU"
    assert not before.resolve("Sở Kế hoạch và Đầu tư").legacy
    assert before.expand("G.COMMUNES") == []

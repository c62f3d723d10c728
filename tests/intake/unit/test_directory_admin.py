"""Directory changes an administrator makes: merges keep history; malformed uploads are refused."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.directory import Directory, DirectoryDataError, load_default_directory
from services.intake.http.admin_schemas import MergeIn, NewUnitIn
from services.intake.use_cases.directory_admin import apply_change, checked, directory_from_files


def test_two_wards_merged_into_a_new_one_keep_their_names_resolvable() -> None:
    new = NewUnitIn(code="99901", name="Phường Hợp Nhất", kind="phuong", effective=date(2026, 1, 1))
    merge = MergeIn(codes=["11407", "10537"], new_unit=new, effective=date(2026, 1, 1))
    merged, action, _ = apply_change(load_default_directory(), merge, None)
    assert action == "merge"
    assert merged.unit("11407").successors == ("99901",) and not merged.unit("11407").active
    assert "99901" in merged.expand("G.COMMUNES") and "11407" not in merged.expand("G.COMMUNES")
    assert Directory.from_dict(merged.to_dict()).unit("99901").active


def test_a_merge_needs_a_target() -> None:
    with pytest.raises(DirectoryDataError):
        apply_change(load_default_directory(), MergeIn(codes=["11407"], effective=date(2026, 1, 1)), None)


def test_uploaded_files_must_be_the_directory_csvs() -> None:
    with pytest.raises(DirectoryDataError, match=r"city\.csv"):
        directory_from_files({"passwords.csv": b"a,b\n"})
    with pytest.raises(DirectoryDataError):
        directory_from_files({"city.csv": b"\xff\xfe not utf-8"})


def test_a_snapshot_with_malformed_units_is_refused_before_use() -> None:
    data = load_default_directory().to_dict()
    assert isinstance(data["units"], list)
    units = list(data["units"])
    units[0] = dict(units[0]) | {"name": 5}
    with pytest.raises(DirectoryDataError):
        checked(Directory.from_dict(data | {"units": units}))

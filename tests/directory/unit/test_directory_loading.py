"""Loading the packaged directory, another city's CSV folder, and JSON snapshots."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dondoc.directory import Directory, DirectoryDataError, load_default_directory, load_directory
from tests.support.directory_csv import DATA, bodies, communes, legacy, offices_for


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "city"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def test_the_default_directory_holds_every_row_of_the_csv_files() -> None:
    directory = load_default_directory()
    offices = sum(len(offices_for(r["kind"])) for r in communes())
    assert len(directory.units) == 1 + len(bodies()) + len(legacy()) + len(communes()) + offices
    assert directory is load_default_directory()


def test_another_folder_in_the_same_shape_loads(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "city.csv").write_text(
        "code,kind,name,area\nXX,city,UBND tỉnh Thử,Tỉnh Thử\n", encoding="utf-8"
    )
    directory = load_directory(folder)
    assert directory.city == "XX"
    assert directory.get("XX.SO-TU-PHAP") is not None
    assert directory.resolve("Sở Tư pháp tỉnh Thử").unit == "XX.SO-TU-PHAP"


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("haiphong-communes.csv", "code,kind,name\n1,huyen,Huyện A\n", "loại «huyen»"),
        ("haiphong-communes.csv", "code,name\n1,Phường A\n", "thiếu cột: kind"),
        ("haiphong-city-bodies.csv", "name,kind,status\nSở A,department,maybe\n", "trạng thái «maybe»"),
        ("legacy-aliases.csv", "legacy_name,now\nSở Cũ,Sở Không Có\n", "«Sở Không Có» không có"),
        ("commune-offices.csv", "office,applies_to\nPhòng A,huyen\n", "áp dụng cho «huyen»"),
        ("haiphong-communes.csv", "code,kind,name\n1,phuong,Phường A\n1,xa,Xã B\n", "bị trùng"),
        ("haiphong-communes.csv", "code,kind,name\n,phuong,Phường A\n", "dòng 2: cột code để trống"),
    ],
)
def test_a_bad_folder_is_rejected_with_a_clear_vietnamese_message(
    tmp_path: Path, file: str, content: str, message: str
) -> None:
    folder = _copy(tmp_path)
    (folder / file).write_text(content, encoding="utf-8")
    with pytest.raises(DirectoryDataError, match=message):
        load_directory(folder)


def test_a_missing_file_or_folder_is_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "legacy-aliases.csv").unlink()
    with pytest.raises(DirectoryDataError, match=r"legacy-aliases\.csv"):
        load_directory(folder)
    with pytest.raises(DirectoryDataError, match="Không tìm thấy thư mục"):
        load_directory(tmp_path / "nowhere")


def test_a_snapshot_survives_json_and_resolves_the_same() -> None:
    directory = load_default_directory().close("HP.SO-Y-TE", date(2027, 1, 1))
    data = json.loads(json.dumps(directory.to_dict(), ensure_ascii=False))
    again = Directory.from_dict(data)
    assert again == directory
    assert again.resolve("Văn phòng HĐND và UBND", "11407").unit == "11407.VP"
    assert again.resolve("Sở Y tế").legacy


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.update(version=99), "phiên bản"),
        (lambda d: d.update(city="ZZ"), "«ZZ»"),
        (lambda d: d["units"][1].update(colour="red"), "colour"),
        (lambda d: d["units"][1].update(valid_from="not a date"), "Bản chụp"),
        (lambda d: d.update(units="none"), "danh sách"),
    ],
)
def test_a_damaged_snapshot_is_rejected(damage: Callable[[Any], None], message: str) -> None:
    data = json.loads(json.dumps(load_default_directory().to_dict()))
    damage(data)
    with pytest.raises(DirectoryDataError, match=message):
        Directory.from_dict(data)

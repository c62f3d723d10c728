"""`dondoc directory ...` subcommands, run through the real command-line entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dondoc.cli import main
from tests.support.directory_csv import DATA, communes


def test_list_prints_one_line_per_unit_of_a_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "list", "--kind", "dac_khu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        r["code"] for r in communes() if r["kind"] == "dac_khu"
    ]


def test_show_prints_a_unit_and_its_offices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "show", "11407"]) == 0
    assert "11407.VP" in capsys.readouterr().out
    assert main(["directory", "show", "nope"]) == 1
    assert "Không tìm thấy" in capsys.readouterr().err


def test_resolve_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "resolve", "Phòng Văn hoá – Xã hội", "--context", "11407"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["unit"] == "11407.VHXH"
    assert main(["directory", "resolve", "--split", "Sở Tư pháp Sở Nội vụ"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["directory", "resolve", "Sở Không Tồn Tại"]) == 1


def test_search_finds_by_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "search", "Tư pháp"]) == 0
    assert "HP.SO-TU-PHAP" in capsys.readouterr().out


def test_validate_accepts_the_packaged_data_and_rejects_a_broken_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["directory", "validate", str(DATA)]) == 0
    assert f"{len(communes())} đơn vị hành chính cấp xã" in capsys.readouterr().out
    broken = tmp_path / "broken"
    shutil.copytree(DATA, broken)
    (broken / "haiphong-communes.csv").write_text("code,kind,name\n1,huyen,Huyện A\n", encoding="utf-8")
    assert main(["directory", "validate", str(broken)]) == 1
    assert "Danh mục không hợp lệ" in capsys.readouterr().err

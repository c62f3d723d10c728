"""Every unit name the gold plans contain resolves as a person reading the plan would resolve it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dondoc.directory import Directory, load_default_directory
from tests.support.directory_csv import SEEDS, commune_codes

AN_BIEN = "11407"
CITY = "HP"

# The issuing unit of each seed plan (002 lost its ward's name in the header).
CONTEXT = {"000_be6c2761b137d082": AN_BIEN, "002_46db6e3f0961a6bd": None, "004_868287148acd756b": CITY}

# What each name means, written by hand from the plans: ("unit", code) | ("group", code) | ("designate",)
# | ("needs_context",) | ("external",).
EXPECTED = {
    "Văn phòng HĐND và UBND": ("unit", "11407.VP"),
    "Các phòng chuyên môn": ("group", "G.OFFICES:11407"),
    "Các phòng, ban, đơn vị phường": ("group", "G.OFFICES:11407"),
    "UBND phường An Biên": ("unit", AN_BIEN),
    "các cơ quan, đơn vị có liên quan": ("designate",),
    "các cơ quan, đơn vị khác có liên quan": ("designate",),
    "Phòng Kinh tế, Hạ tầng và Đô thị": ("needs_context",),
    "Bộ Tư pháp": ("external",),
    "Các sở, ban, ngành thành phố": ("group", "G.CITY_DEPARTMENTS"),
    "Các sở, ban, ngành và UBND cấp xã": ("group", "G.CITY_DEPARTMENTS+G.COMMUNES"),
    "chính quyền địa phương": ("group", "G.COMMUNES"),
    "Hội đồng phối hợp phổ biến, giáo dục pháp luật": (
        "unit",
        "HP.HOI-DONG-PHOI-HOP-PHO-BIEN-GIAO-DUC-PHAP-LUAT",
    ),
    "Sở Giáo dục và Đào tạo": ("unit", "HP.SO-GIAO-DUC-VA-DAO-TAO"),
    "Sở Nội vụ": ("unit", "HP.SO-NOI-VU"),
    "Sở Tài chính": ("unit", "HP.SO-TAI-CHINH"),
    "Sở Tư pháp": ("unit", "HP.SO-TU-PHAP"),
    "Sở Văn hóa, Thể thao và Du lịch": ("unit", "HP.SO-VAN-HOA-THE-THAO-VA-DU-LICH"),
    "Sở Y tế": ("unit", "HP.SO-Y-TE"),
}


def _gold(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEEDS / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def _names(gold: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for task in [*gold["tasks"], *gold["optional_tasks"]]:
        names.update(task.get("lead", []) + task.get("coordinating", []))
    for report in gold["reporting"]:
        names.update(report["reporter"] + [report["recipient"]])
    return names


def _cases() -> list[tuple[str, str | None, str]]:
    return [(stem, ctx, name) for stem, ctx in CONTEXT.items() for name in sorted(_names(_gold(stem)))]


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_default_directory()


def test_every_gold_name_has_an_expectation() -> None:
    assert {name for _, _, name in _cases()} <= set(EXPECTED)


@pytest.mark.parametrize(("stem", "context", "name"), _cases())
def test_a_gold_name_resolves_as_the_plan_means(
    directory: Directory, stem: str, context: str | None, name: str
) -> None:
    found = directory.resolve(name, context)
    expected = EXPECTED[name]
    assert found.text == name
    if expected[0] == "unit":
        assert (found.unit, found.group) == (expected[1], None)
    elif expected[0] == "group":
        assert (found.unit, found.group) == (None, expected[1])
    elif expected[0] == "designate":
        assert found.needs_designation and not found.resolved
    elif expected[0] == "needs_context":
        assert found.needs_context and not found.resolved
    else:
        assert found.external and not found.resolved


def test_an_economic_office_without_its_ward_lists_every_ward_as_candidate(directory: Directory) -> None:
    found = directory.resolve("Phòng Kinh tế, Hạ tầng và Đô thị")
    assert sorted(found.candidates) == sorted(f"{code}.KT" for code in commune_codes("phuong"))


def _ward_fields(text: str) -> list[str]:
    pattern = r"Cơ quan (?:chủ trì|phối hợp):(.*?)(?=\n\s*-|\n\s*\d+\.|\Z)"
    return re.findall(pattern, text, flags=re.DOTALL)


def test_the_ward_plans_unit_fields_split_into_the_gold_pieces(directory: Directory) -> None:
    stem = "000_be6c2761b137d082"
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    gold = _gold(stem)
    tasks = gold["tasks"]
    expected = [field for task in tasks for field in (task["lead"], task["coordinating"])]
    fields = _ward_fields(text)[: len(expected)]
    assert [[p.text for p in directory.split_units(f, AN_BIEN)] for f in fields] == expected


def test_the_city_plans_appendix_cells_split_into_the_gold_pieces(directory: Directory) -> None:
    stem = "004_868287148acd756b"
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if re.match(r"^\d+\.\t", line)]
    tasks = _gold(stem)["tasks"]
    assert len(rows) == len(tasks)
    for row, task in zip(rows, tasks, strict=True):
        assert [p.text for p in directory.split_units(row[2], CITY)] == task["lead"]
        assert [p.text for p in directory.split_units(row[3], CITY)] == task["coordinating"]
        assert all(p.resolved for p in directory.split_units(row[2] + "; " + row[3], CITY))

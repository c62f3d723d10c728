"""The directory seen through the tasks service's port."""

from __future__ import annotations

from dondoc.directory import load_default_directory
from services.tasks.directory import load_unit_directory
from services.tasks.metrics import unit_kind


def test_the_collective_of_departments_and_communes_expands_to_every_one_of_them() -> None:
    port = load_unit_directory(None)
    directory = load_default_directory()
    departments = [
        u.code
        for u in directory.list_units()
        if u.kind in ("department", "board") and u.confidence == "confirmed"
    ]
    communes = [u.code for u in directory.units if u.kind in ("phuong", "xa", "dac_khu") and u.active]
    assert len(communes) == 114
    assert sorted(port.expand("G.CITY_DEPARTMENTS+G.COMMUNES", "HP")) == sorted(departments + communes)


def test_an_unknown_group_expands_to_nobody_so_the_task_waits_for_a_person() -> None:
    assert load_unit_directory(None).expand("G.NO_SUCH_GROUP", "HP") == []


def test_levels_put_communes_and_their_offices_below_departments_below_the_city() -> None:
    port = load_unit_directory(None)
    assert [port.level_of(c) for c in ("11407", "11407.VP", "HP.SO-TU-PHAP", "HP")] == [
        "commune",
        "commune",
        "department",
        "city",
    ]
    assert [unit_kind(port, c) for c in ("11407", "11407.VP", "HP.SO-TU-PHAP", "NOPE")] == [
        "commune",
        "commune_office",
        "department",
        "unknown",
    ]


def test_names_come_from_the_directory_and_unknown_codes_stay_codes() -> None:
    port = load_unit_directory(None)
    assert port.name_of("11407") == "UBND phường An Biên"
    assert port.name_of("X.UNKNOWN") == "X.UNKNOWN"
    assert port.knows("HP.SO-TU-PHAP") and not port.knows("X.UNKNOWN")

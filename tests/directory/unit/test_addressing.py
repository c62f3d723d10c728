"""Who a plan may address: itself and what lies below it in the directory, or a configured relation."""

from __future__ import annotations

import pytest

from dondoc.directory import load_default_directory
from dondoc.directory.addressing import Relation, may_address, not_addressable, relations

DIRECTORY = load_default_directory()
WARD, OFFICE, OTHER_WARD, SO_TU_PHAP = "11407", "11407.VP", "11411", "HP.SO-TU-PHAP"


def test_a_ward_addresses_itself_and_its_own_offices() -> None:
    assert may_address(DIRECTORY, WARD, WARD) and may_address(DIRECTORY, WARD, OFFICE)
    assert all(may_address(DIRECTORY, WARD, code) for code in DIRECTORY.expand(f"G.OFFICES:{WARD}"))


def test_a_ward_never_gives_tasks_to_another_ward_or_its_offices_or_a_department() -> None:
    assert not_addressable(DIRECTORY, OTHER_WARD, [WARD, OFFICE, SO_TU_PHAP, OTHER_WARD]) == [
        WARD,
        OFFICE,
        SO_TU_PHAP,
    ]
    assert not may_address(DIRECTORY, OFFICE, WARD)  # an office does not address its own ward


def test_the_city_peoples_committee_addresses_every_unit() -> None:
    assert not_addressable(DIRECTORY, "HP", [u.code for u in DIRECTORY.units]) == []


def test_a_department_addresses_communes_only_by_a_stated_relation() -> None:
    assert not may_address(DIRECTORY, SO_TU_PHAP, WARD)
    rule = relations(["HP.SO-TU-PHAP>G.COMMUNES", ""])
    assert rule == (Relation(SO_TU_PHAP, "G.COMMUNES"),)
    assert may_address(DIRECTORY, SO_TU_PHAP, WARD, rule) and not may_address(
        DIRECTORY, SO_TU_PHAP, OFFICE, rule
    )
    assert not may_address(DIRECTORY, "HP.SO-NOI-VU", WARD, rule)


def test_a_relation_is_written_issuer_then_addressee() -> None:
    with pytest.raises(ValueError, match="ISSUER>ADDRESSEE"):
        relations(["HP.SO-TU-PHAP G.COMMUNES"])

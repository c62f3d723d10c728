"""The packaged CSV rows, read with the csv module only, so tests do not trust the code under test."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import dondoc.directory
from tests.support import FIXTURES

DATA = Path(dondoc.directory.__file__).parent / "data"
SEEDS = FIXTURES / "seeds"


@lru_cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def communes() -> tuple[dict[str, str], ...]:
    return rows("haiphong-communes.csv")


def commune_codes(*kinds: str) -> list[str]:
    return [r["code"] for r in communes() if not kinds or r["kind"] in kinds]


def bodies() -> tuple[dict[str, str], ...]:
    return rows("haiphong-city-bodies.csv")


def offices_for(kind: str) -> list[dict[str, str]]:
    return [r for r in rows("commune-offices.csv") if kind in r["applies_to"].split("|")]


def legacy() -> tuple[dict[str, str], ...]:
    return rows("legacy-aliases.csv")

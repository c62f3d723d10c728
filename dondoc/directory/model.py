"""Value types of the unit directory: units, name resolutions and the history of changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# The commune level and the city level are the two tiers of local government since 1 July 2025.
CITY_KINDS = ("city",)
CITY_BODY_KINDS = ("department", "board", "council", "office", "coordinating_body")
COMMUNE_KINDS = ("phuong", "xa", "dac_khu")
COMMUNE_OFFICE_KINDS = ("commune_office", "commune_coordinating_body")
ALL_KINDS = CITY_KINDS + CITY_BODY_KINDS + COMMUNE_KINDS + COMMUNE_OFFICE_KINDS

# The word a commune-level unit is called by, as it appears inside names ("UBND phường An Biên").
KIND_WORDS = {"phuong": "phường", "xa": "xã", "dac_khu": "đặc khu"}

Status = Literal["active", "merged", "closed"]
Confidence = Literal["confirmed", "unconfirmed", "unverified_name"]

# The day the two-level local government took effect (Nghị quyết 1669/NQ-UBTVQH15 and others).
REFORM_DATE = date(2025, 7, 1)


class DirectoryDataError(ValueError):
    """The data does not describe a valid directory; the message says where, in Vietnamese."""


@dataclass(frozen=True)
class Unit:
    """One unit of the directory: the city, a city body, a commune-level committee or one of its offices."""

    code: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    status: Status = "active"
    confidence: Confidence = "confirmed"
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    area: str | None = None
    note: str = ""

    @property
    def active(self) -> bool:
        """Tell whether the unit still exists (not closed, merged away or superseded)."""
        return self.status == "active" and self.valid_to is None

    def in_force_on(self, day: date) -> bool:
        """Tell whether the unit existed on `day`."""
        started = self.valid_from is None or self.valid_from <= day
        ended = self.valid_to is not None and self.valid_to <= day
        return started and not ended


@dataclass(frozen=True)
class OfficeType:
    """A standard office inside every commune-level committee of some kinds (Decree 150/2025)."""

    suffix: str
    name: str
    kind: str
    applies_to: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Change:
    """One recorded change to the directory (add, rename, merge or close) and the day it took effect."""

    action: Literal["add", "rename", "merge", "close"]
    effective: date
    codes: tuple[str, ...]
    into: str | None = None
    name: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class Resolution:
    """What a unit name written in a plan refers to.

    Exactly one of these holds: `unit` is set (one unit), `group` is set (a collective name,
    see `groups.expand`), `needs_designation` (the units concerned: a person must choose),
    or nothing is set and `candidates` lists close names (ambiguous or unknown: never guessed).
    """

    text: str
    unit: str | None = None
    group: str | None = None
    candidates: tuple[str, ...] = ()
    needs_designation: bool = False
    needs_context: bool = False
    legacy: bool = False
    uncertain: bool = False
    external: bool = False

    @property
    def resolved(self) -> bool:
        """Tell whether the name points at a unit or a group without a person's help."""
        return self.unit is not None or self.group is not None

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable dict of this resolution."""
        return {
            "text": self.text,
            "unit": self.unit,
            "group": self.group,
            "candidates": list(self.candidates),
            "needs_designation": self.needs_designation,
            "needs_context": self.needs_context,
            "legacy": self.legacy,
            "uncertain": self.uncertain,
            "external": self.external,
        }


@dataclass(frozen=True)
class GroupInfo:
    """A collective name ("Các sở, ban, ngành") and the unit codes it stands for."""

    code: str
    label: str
    phrases: tuple[str, ...] = field(default=())

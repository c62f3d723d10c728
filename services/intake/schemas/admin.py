"""What a city administrator sends to manage the directory and the API keys."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from services.intake.http.text import ShortText
from services.intake.schemas import Model

UnitKind = Literal[
    "department",
    "board",
    "council",
    "office",
    "coordinating_body",
    "phuong",
    "xa",
    "dac_khu",
    "commune_office",
    "commune_coordinating_body",
]
# No "+": it joins group codes ("G.CITY_DEPARTMENTS+G.COMMUNES"), so a unit "X+Y" would split its own
# offices' group in two and break every listing of groups (issue 14.17).
CODE = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


class NewUnitIn(Model):
    """A unit to add (a commune-level unit also gets its standard offices)."""

    code: str = CODE
    name: ShortText
    kind: UnitKind
    parent: str | None = Field(default=None, max_length=64)
    aliases: list[ShortText] = Field(default_factory=list, max_length=50)
    effective: date


class RenameIn(Model):
    """A new name from a given day (the former name stays resolvable)."""

    name: ShortText
    effective: date


class MergeIn(Model):
    """Units merged into an existing unit (`into`) or into a new one (`new_unit`)."""

    codes: list[str] = Field(min_length=1, max_length=200)
    into: str | None = Field(default=None, max_length=64)
    new_unit: NewUnitIn | None = None
    effective: date


class CloseIn(Model):
    """A unit closed on a given day, without successor."""

    effective: date


class KeyIn(Model):
    """An API key to issue: for a unit of the directory, or an administrator's."""

    unit: str | None = Field(default=None, max_length=64, examples=["11407"])
    role: Literal["unit", "admin"] = "unit"
    label: ShortText | None = Field(default=None, examples=["Hệ thống một cửa phường An Biên"])


class DirectoryChanged(BaseModel):
    """202: the directory has a new version; `directory.published` leaves through the outbox."""

    version: int
    action: str
    summary: str


DIRECTORY_CHANGED: dict[int | str, dict[str, Any]] = {
    202: {
        "model": DirectoryChanged,
        "description": "Đã lưu phiên bản danh mục mới; sự kiện sẽ được phát qua outbox.",
    }
}

"""Unit directory of Hải Phòng (after 1 July 2025) and the resolver of unit names as plans write them.

Public API (all pure; nothing is read at import time):
- ``load_default_directory() -> Directory`` (cached, packaged CSVs), ``load_directory(folder)`` (another
  city in the same CSV shape; raises ``DirectoryDataError`` with a Vietnamese message).
- ``resolve(text, context=None) -> Resolution`` and ``split_units(text, context=None) -> list[Resolution]``
  on the default directory; the same as ``Directory.resolve`` / ``Directory.split_units``. ``context`` is the
  issuing unit's code, so "Văn phòng HĐND và UBND" in An Biên's plan resolves to "11407.VP".
- ``expand(group, context=None) -> list[str]``; ``Directory.get/unit/list/search/members/offices/groups``.
- History: ``Directory.add/rename/merge/close(..., effective)`` return new values; ``as_of(day)``;
  ``to_dict()`` / ``Directory.from_dict()`` JSON snapshots.
- ``dondoc.directory.api.build_directory_router(get_directory)``; ``dondoc.directory.cli.register``.

Code scheme:
- ``HP``: UBND thành phố Hải Phòng (the city code comes from ``city.csv``).
- ``HP.<SLUG>``: a city body, slug of its name without diacritics: ``HP.SO-TU-PHAP``. Legacy departments
  (abolished 2025) keep their own slug code, status ``merged``, successor the body that took over.
- ``<national code>``: a commune-level People's Committee, e.g. ``11407`` = UBND phường An Biên.
- ``<national code>.<OFFICE>``: an office inside it: VP, KT (Phòng Kinh tế, Hạ tầng và Đô thị in a phường,
  Phòng Kinh tế in a xã/đặc khu), VHXH, PVHCC, TTVH, and coordinating bodies CA, QS, MTTQ.
- Groups: ``G.CITY_DEPARTMENTS``, ``G.COMMUNES``, ``G.OFFICES:<commune code>``; combinations joined by
  ``+`` (``G.CITY_DEPARTMENTS+G.COMMUNES``). See ``dondoc.directory.groups``.
"""

from __future__ import annotations

from dondoc.directory.directory import Directory, UnknownCode
from dondoc.directory.loading import load_default_directory, load_directory
from dondoc.directory.model import DirectoryDataError, GroupInfo, OfficeType, Resolution, Unit

__all__ = [
    "Directory",
    "DirectoryDataError",
    "GroupInfo",
    "OfficeType",
    "Resolution",
    "Unit",
    "UnknownCode",
    "expand",
    "load_default_directory",
    "load_directory",
    "resolve",
    "split_units",
]


def resolve(text: str, context: str | None = None) -> Resolution:
    """Resolve one unit name against the default (Hải Phòng) directory."""
    return load_default_directory().resolve(text, context)


def split_units(text: str, context: str | None = None) -> list[Resolution]:
    """Split a cell naming several units and resolve each against the default directory."""
    return load_default_directory().split_units(text, context)


def expand(group: str, context: str | None = None) -> list[str]:
    """Return the unit codes a group code stands for in the default directory."""
    return load_default_directory().expand(group, context)

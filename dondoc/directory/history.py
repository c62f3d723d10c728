"""Changes to the directory over time: add, rename, merge, close. Pure functions; nothing is deleted.

A merged or closed unit stays in the directory with `valid_to` and its `successors`, so its name
still resolves (to the successor, flagged legacy). A renamed unit keeps its code and its former
names. `as_of(day)` rebuilds the directory as it stood on a day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from dondoc.directory.model import COMMUNE_KINDS, Change, DirectoryDataError, Status, Unit
from dondoc.directory.text import lower_first

if TYPE_CHECKING:
    from dondoc.directory.directory import Directory


def _existing(directory: Directory, code: str) -> Unit:
    unit = directory.get(code)
    if unit is None:
        raise DirectoryDataError(f"Không có đơn vị mã «{code}».")
    if not unit.active:
        raise DirectoryDataError(f"Đơn vị «{unit.name}» ({code}) đã ngừng hoạt động.")
    return unit


def add(directory: Directory, unit: Unit, effective: date) -> Directory:
    """Add a unit from `effective`; a commune-level unit gets its standard offices too."""
    if directory.get(unit.code) is not None:
        raise DirectoryDataError(f"Mã «{unit.code}» đã có trong danh mục.")
    if unit.kind in COMMUNE_KINDS and unit.area is None:
        unit = replace(unit, area=unit.name, name=f"UBND {lower_first(unit.name)}")
    unit = replace(unit, valid_from=effective, status="active", valid_to=None)
    offices = directory.offices_for(unit, effective) if unit.kind in COMMUNE_KINDS else []
    change = Change(action="add", effective=effective, codes=(unit.code,), name=unit.name)
    return directory.with_units(unit, *offices).recorded(change)


def rename(directory: Directory, code: str, new_name: str, effective: date) -> Directory:
    """Rename a unit from `effective`; for a commune-level unit give its area name ("Phường X")."""
    unit = _existing(directory, code)
    renamed = replace(unit, name=new_name, former_names=(*unit.former_names, unit.name))
    if unit.kind in COMMUNE_KINDS:
        renamed = replace(
            unit,
            area=new_name,
            name=f"UBND {lower_first(new_name)}",
            former_names=(*unit.former_names, unit.name, *([unit.area] if unit.area else [])),
        )
    fresh = {o.code: o for o in directory.offices_for(renamed)}
    offices = [
        replace(
            o,
            name=fresh[o.code].name,
            aliases=fresh[o.code].aliases,
            former_names=(*o.former_names, o.name, *o.aliases),
        )
        for o in directory.offices(code)
        if o.code in fresh
    ]
    previous = unit.area if unit.kind in COMMUNE_KINDS and unit.area else unit.name
    change = Change(action="rename", effective=effective, codes=(code,), name=new_name, previous=previous)
    return directory.with_units(renamed, *offices).recorded(change)


def _retire(directory: Directory, unit: Unit, effective: date, successor: Unit | None) -> list[Unit]:
    status: Status = "merged" if successor is not None else "closed"
    retired = [
        replace(unit, status=status, valid_to=effective, successors=(successor.code,) if successor else ())
    ]
    for office in directory.offices(unit.code):
        twin = successor.code + office.code[len(unit.code) :] if successor else None
        if twin is not None and directory.get(twin) is None:
            twin = successor.code if successor else None
        retired.append(replace(office, status=status, valid_to=effective, successors=(twin,) if twin else ()))
    return retired


def merge(directory: Directory, codes: list[str], into: Unit | str, effective: date) -> Directory:
    """Merge several units into one successor (existing code, or a new unit added on `effective`)."""
    if isinstance(into, Unit):
        directory = add(directory, into, effective)
        target = directory.unit(into.code)
    else:
        target = _existing(directory, into)
    retired: list[Unit] = []
    for code in codes:
        if code == target.code:
            continue
        retired += _retire(directory, _existing(directory, code), effective, target)
    change = Change(action="merge", effective=effective, codes=tuple(codes), into=target.code)
    return directory.with_units(*retired).recorded(change)


def close(directory: Directory, code: str, effective: date) -> Directory:
    """Close a unit (and its offices) on `effective`, with no successor."""
    retired = _retire(directory, _existing(directory, code), effective, None)
    change = Change(action="close", effective=effective, codes=(code,))
    return directory.with_units(*retired).recorded(change)


def _as_it_stood(unit: Unit, day: date, renames: list[Change]) -> Unit:
    if unit.valid_to is not None and unit.valid_to > day:
        unit = replace(unit, status="active", valid_to=None, successors=())
    for change in reversed(renames):
        if unit.code not in change.codes or not change.previous:
            continue
        if unit.kind in COMMUNE_KINDS:
            unit = replace(
                unit,
                area=change.previous,
                name=f"UBND {lower_first(change.previous)}",
                former_names=unit.former_names[:-2],
            )
        else:
            unit = replace(unit, name=change.previous, former_names=unit.former_names[:-1])
    return unit


def as_of(directory: Directory, day: date) -> Directory:
    """Return the directory as it stood on `day`: units in force then, with the names they had."""
    later_renames = [c for c in directory.changes if c.action == "rename" and c.effective > day]
    units = tuple(
        _as_it_stood(u, day, later_renames)
        for u in directory.units
        if u.in_force_on(day) or u.code == directory.city
    )
    changes = tuple(c for c in directory.changes if c.effective <= day)
    return replace(directory, units=units, changes=changes)

"""JSON-serialisable snapshots of a Directory, to travel in events and be stored by services."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from dondoc.directory.model import Change, DirectoryDataError, OfficeType, Unit

if TYPE_CHECKING:
    from dondoc.directory.directory import Directory

SNAPSHOT_VERSION = 1
_DATE_FIELDS = ("valid_from", "valid_to", "effective")
_T = TypeVar("_T", Unit, OfficeType, Change)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _record(item: Unit | OfficeType | Change) -> dict[str, object]:
    return {key: _plain(value) for key, value in asdict(item).items()}


def directory_to_dict(directory: Directory) -> dict[str, object]:
    """Return a JSON-serialisable dict holding every unit, office type and change."""
    return {
        "version": SNAPSHOT_VERSION,
        "city": directory.city,
        "units": [_record(u) for u in directory.units],
        "office_types": [_record(t) for t in directory.office_types],
        "changes": [_record(c) for c in directory.changes],
    }


def _build(kind: type[_T], raw: object, where: str) -> _T:
    if not isinstance(raw, dict):
        raise DirectoryDataError(f"{where}: phải là một đối tượng JSON.")
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DirectoryDataError(f"{where}: trường không hợp lệ: {', '.join(map(str, unknown))}.")
    values: dict[str, object] = {}
    for key, value in raw.items():
        if key in _DATE_FIELDS and value is not None:
            value = date.fromisoformat(str(value))
        elif isinstance(value, list):
            value = tuple(value)
        values[key] = value
    try:
        return kind(**values)  # type: ignore[arg-type]  # keys checked against kind's fields above
    except TypeError as exc:
        raise DirectoryDataError(f"{where}: {exc}.") from exc


def _items(data: dict[str, object], key: str) -> list[object]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise DirectoryDataError(f"Bản chụp danh mục: «{key}» phải là một danh sách.")
    return raw


def directory_from_dict(cls: type[Directory], data: dict[str, object]) -> Directory:
    """Rebuild a Directory from `directory_to_dict` output, with clear errors for bad input."""
    if data.get("version") != SNAPSHOT_VERSION:
        raise DirectoryDataError(f"Bản chụp danh mục: phiên bản «{data.get('version')}» không được hỗ trợ.")
    try:
        units = tuple(_build(Unit, u, f"Đơn vị thứ {n}") for n, u in enumerate(_items(data, "units"), 1))
        types = tuple(
            _build(OfficeType, t, f"Loại phòng thứ {n}")
            for n, t in enumerate(_items(data, "office_types"), 1)
        )
        changes = tuple(
            _build(Change, c, f"Thay đổi thứ {n}") for n, c in enumerate(_items(data, "changes"), 1)
        )
    except ValueError as exc:
        if isinstance(exc, DirectoryDataError):
            raise
        raise DirectoryDataError(f"Bản chụp danh mục: {exc}.") from exc
    city = str(data.get("city", ""))
    if city not in {u.code for u in units}:
        raise DirectoryDataError(f"Bản chụp danh mục: không có đơn vị cấp thành phố «{city}».")
    return cls(city=city, units=units, office_types=types, changes=changes)

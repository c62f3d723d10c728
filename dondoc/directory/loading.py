"""Read a city's directory from its four CSV files (and `city.csv`), validating as it goes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from dondoc.directory.directory import Directory
from dondoc.directory.model import (
    CITY_BODY_KINDS,
    COMMUNE_KINDS,
    REFORM_DATE,
    Confidence,
    DirectoryDataError,
    OfficeType,
    Unit,
)
from dondoc.directory.text import fold, lower_first, slug, written

FILES = {
    "city": "city.csv",
    "communes": "haiphong-communes.csv",
    "bodies": "haiphong-city-bodies.csv",
    "legacy": "legacy-aliases.csv",
    "offices": "commune-offices.csv",
}
REQUIRED_COLUMNS = {
    "city": ("code", "kind", "name", "area"),
    "communes": ("code", "kind", "name"),
    "bodies": ("name", "kind", "status"),
    "legacy": ("legacy_name", "now"),
    "offices": ("office", "applies_to"),
}
CONFIDENCES: tuple[Confidence, ...] = ("confirmed", "unconfirmed", "unverified_name")

# Short readable suffixes for the standard offices ("11407.VP"); an office not listed here takes
# the `code` column of commune-offices.csv if present, else a slug of its name.
_OFFICE_SUFFIXES = {
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân": "VP",
    "Phòng Kinh tế, Hạ tầng và Đô thị": "KT",
    "Phòng Kinh tế": "KT",
    "Phòng Văn hóa - Xã hội": "VHXH",
    "Trung tâm Phục vụ hành chính công": "PVHCC",
    "Trung tâm Văn hóa, Thể thao và Truyền thông": "TTVH",
    "Công an": "CA",
    "Ban Chỉ huy quân sự": "QS",
    "Ủy ban Mặt trận Tổ quốc Việt Nam": "MTTQ",
}

Rows = list[dict[str, str]]
Reader = Callable[[str], str | None]


def _rows(read: Reader, key: str) -> Rows:
    filename = FILES[key]
    content = read(filename)
    if content is None:
        columns = ", ".join(REQUIRED_COLUMNS[key])
        raise DirectoryDataError(f"Thiếu tệp {filename} (các cột bắt buộc: {columns}).")
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in REQUIRED_COLUMNS[key] if c not in (reader.fieldnames or [])]
    if missing:
        raise DirectoryDataError(f"Tệp {filename} thiếu cột: {', '.join(missing)}.")
    rows = [{k: written(v or "") for k, v in row.items() if k is not None} for row in reader]
    for number, row in enumerate(rows, start=2):
        for column in REQUIRED_COLUMNS[key]:
            if not row[column] and column not in ("area",):
                raise DirectoryDataError(f"Tệp {filename}, dòng {number}: cột {column} để trống.")
    return rows


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(written(part) for part in (value or "").split("|") if part.strip())


def _city(rows: Rows) -> Unit:
    if len(rows) != 1:
        raise DirectoryDataError(f"Tệp {FILES['city']} phải có đúng một dòng.")
    row = rows[0]
    return Unit(code=row["code"], name=row["name"], kind="city", area=row["area"] or None)


def _communes(rows: Rows, city: str) -> list[Unit]:
    units = []
    for number, row in enumerate(rows, start=2):
        if row["kind"] not in COMMUNE_KINDS:
            raise DirectoryDataError(
                f"Tệp {FILES['communes']}, dòng {number}: loại «{row['kind']}» không hợp lệ "
                f"(phải là {', '.join(COMMUNE_KINDS)})."
            )
        area = row["name"]
        name = f"UBND {lower_first(area)}"
        units.append(
            Unit(
                code=row["code"],
                name=name,
                kind=row["kind"],
                parent=city,
                area=area,
                valid_from=REFORM_DATE,
                note=row.get("note", ""),
            )
        )
    return units


def _bodies(rows: Rows, city: str) -> list[Unit]:
    units = []
    for number, row in enumerate(rows, start=2):
        where = f"Tệp {FILES['bodies']}, dòng {number}"
        if row["kind"] not in CITY_BODY_KINDS:
            raise DirectoryDataError(f"{where}: loại «{row['kind']}» không hợp lệ.")
        confidence = next((c for c in CONFIDENCES if c == row["status"]), None)
        if confidence is None:
            raise DirectoryDataError(f"{where}: trạng thái «{row['status']}» không hợp lệ.")
        units.append(
            Unit(
                code=f"{city}.{slug(row['name'])}",
                name=row["name"],
                kind=row["kind"],
                parent=city,
                aliases=_split(row.get("aliases")),
                confidence=confidence,
                note=row.get("note", ""),
            )
        )
    return units


def _legacy(rows: Rows, city: str, bodies: list[Unit]) -> list[Unit]:
    by_name = {fold(u.name): u.code for u in bodies}
    units = []
    for number, row in enumerate(rows, start=2):
        successor = by_name.get(fold(row["now"]))
        if successor is None:
            raise DirectoryDataError(
                f"Tệp {FILES['legacy']}, dòng {number}: «{row['now']}» không có trong {FILES['bodies']}."
            )
        units.append(
            Unit(
                code=f"{city}.{slug(row['legacy_name'])}",
                name=row["legacy_name"],
                kind="department",
                parent=city,
                status="merged",
                valid_to=REFORM_DATE,
                successors=(successor,),
            )
        )
    return units


def _office_types(rows: Rows) -> list[OfficeType]:
    types = []
    for number, row in enumerate(rows, start=2):
        applies_to = _split(row["applies_to"])
        wrong = [k for k in applies_to if k not in COMMUNE_KINDS]
        if wrong:
            raise DirectoryDataError(
                f"Tệp {FILES['offices']}, dòng {number}: áp dụng cho «{', '.join(wrong)}» không hợp lệ."
            )
        name = row["office"]
        suffix = row.get("code") or _OFFICE_SUFFIXES.get(name) or slug(name)
        note = row.get("note", "")
        kind = row.get("kind") or (
            "commune_coordinating_body" if "coordinating body" in note else "commune_office"
        )
        types.append(
            OfficeType(
                suffix=suffix,
                name=name,
                kind=kind,
                applies_to=applies_to,
                aliases=_split(row.get("aliases")),
                note=note,
            )
        )
    return types


def _check_unique(units: Iterable[Unit]) -> None:
    seen: dict[str, str] = {}
    for unit in units:
        if unit.code in seen:
            raise DirectoryDataError(f"Mã «{unit.code}» bị trùng giữa «{seen[unit.code]}» và «{unit.name}».")
        seen[unit.code] = unit.name


def build_directory(read: Reader) -> Directory:
    """Build and validate a directory from a function returning each CSV file's text (None if absent)."""
    city = _city(_rows(read, "city"))
    communes = _communes(_rows(read, "communes"), city.code)
    bodies = _bodies(_rows(read, "bodies"), city.code)
    legacy = _legacy(_rows(read, "legacy"), city.code, bodies)
    office_types = _office_types(_rows(read, "offices"))
    directory = Directory(city=city.code, units=(city, *bodies, *legacy), office_types=tuple(office_types))
    units = [unit for commune in communes for unit in (commune, *directory.offices_for(commune))]
    _check_unique((*directory.units, *units))
    return directory.with_units(*units)


def load_directory(folder: str | Path) -> Directory:
    """Load another city's directory from a folder holding the same CSV files as the packaged data."""
    root = Path(folder)
    if not root.is_dir():
        raise DirectoryDataError(f"Không tìm thấy thư mục {root}.")

    def read(name: str) -> str | None:
        path = root / name
        return path.read_text(encoding="utf-8-sig") if path.is_file() else None

    return build_directory(read)


@lru_cache(maxsize=1)
def load_default_directory() -> Directory:
    """Return the packaged Hải Phòng directory (after 1 July 2025), read once and cached."""
    package = resources.files("dondoc.directory") / "data"

    def read(name: str) -> str | None:
        entry = package / name
        return entry.read_text(encoding="utf-8-sig") if entry.is_file() else None

    return build_directory(read)

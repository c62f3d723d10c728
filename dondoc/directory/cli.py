"""`dondoc directory list|show|search|resolve|validate`: look things up in the unit directory."""

from __future__ import annotations

import argparse
import json
import sys

from dondoc.directory.directory import Directory
from dondoc.directory.loading import load_default_directory, load_directory
from dondoc.directory.model import ALL_KINDS, DirectoryDataError, Unit


def _directory(args: argparse.Namespace) -> Directory:
    folder: str | None = args.data
    return load_directory(folder) if folder else load_default_directory()


def _line(unit: Unit) -> str:
    return f"{unit.code}\t{unit.kind}\t{unit.name}"


def _list(args: argparse.Namespace) -> int:
    for unit in _directory(args).list_units(args.kind):
        print(_line(unit))
    return 0


def _show(args: argparse.Namespace) -> int:
    directory = _directory(args)
    unit = directory.get(args.code)
    if unit is None:
        print(f"Không tìm thấy đơn vị có mã «{args.code}».", file=sys.stderr)
        return 1
    print(_line(unit))
    if unit.aliases:
        print("Tên khác: " + "; ".join(unit.aliases))
    if unit.successors:
        print("Đơn vị kế thừa: " + ", ".join(unit.successors))
    for office in directory.offices(unit.code):
        print("  " + _line(office))
    return 0


def _search(args: argparse.Namespace) -> int:
    hits = _directory(args).search(args.query)
    for unit in hits:
        print(_line(unit))
    return 0 if hits else 1


def _resolve(args: argparse.Namespace) -> int:
    directory = _directory(args)
    pieces = (
        directory.split_units(args.text, args.context)
        if args.split
        else [directory.resolve(args.text, args.context)]
    )
    print(json.dumps([p.to_dict() for p in pieces], ensure_ascii=False, indent=2))
    return 0 if all(p.resolved or p.needs_designation for p in pieces) else 1


def _validate(args: argparse.Namespace) -> int:
    try:
        directory = load_directory(args.folder)
    except DirectoryDataError as exc:
        print(f"Danh mục không hợp lệ: {exc}", file=sys.stderr)
        return 1
    communes = len(directory.expand("G.COMMUNES"))
    print(f"Hợp lệ: {len(directory.units)} đơn vị, trong đó {communes} đơn vị hành chính cấp xã.")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `directory` command family to the `dondoc` command line."""
    parser = subparsers.add_parser("directory", help="tra cứu danh mục đơn vị")
    parser.add_argument("--data", help="thư mục CSV của một danh mục khác (mặc định: Hải Phòng)")
    commands = parser.add_subparsers(dest="directory_command", required=True)

    listing = commands.add_parser("list", help="liệt kê đơn vị")
    listing.add_argument("--kind", choices=ALL_KINDS)
    listing.set_defaults(func=_list)

    show = commands.add_parser("show", help="xem một đơn vị theo mã")
    show.add_argument("code")
    show.set_defaults(func=_show)

    search = commands.add_parser("search", help="tìm đơn vị theo tên")
    search.add_argument("query")
    search.set_defaults(func=_search)

    resolve = commands.add_parser("resolve", help="xác định đơn vị từ tên viết trong kế hoạch")
    resolve.add_argument("text")
    resolve.add_argument("--context", help="mã đơn vị ban hành kế hoạch, ví dụ 11407")
    resolve.add_argument("--split", action="store_true", help="tách một ô có nhiều đơn vị")
    resolve.set_defaults(func=_resolve)

    validate = commands.add_parser("validate", help="kiểm tra thư mục CSV của một danh mục")
    validate.add_argument("folder")
    validate.set_defaults(func=_validate)

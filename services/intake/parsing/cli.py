"""`dondoc parse FILE`: print the draft plan a document yields, as contract JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .errors import DocumentError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `parse` subcommand."""
    parser = subparsers.add_parser(
        "parse", help="đọc một văn bản kế hoạch (txt, docx, pdf) thành bản nháp JSON"
    )
    parser.add_argument("file", type=Path)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Parse the file and print the draft; exit 1 with one line on stderr when it cannot be read."""
    from . import parse_document

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"dondoc parse: không đọc được tệp {path}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        draft = parse_document(data, path.name)
    except DocumentError as exc:
        print(f"dondoc parse: {path.name}: {exc.message_vi}", file=sys.stderr)
        return 2
    json.dump(draft.model_dump(mode="json"), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0

"""Time is read through a Clock (dondoc/kernel/clock.py), never from the system directly, and Vietnam's zone
is named once: otherwise a test that pins or moves the clock leaves part of the code on the real time."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CODE = ("dondoc", "services", "shared")
THE_CLOCK = ROOT / "dondoc" / "kernel" / "clock.py"
BARE = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def _sources() -> list[Path]:
    return [path for folder in CODE for path in sorted((ROOT / folder).rglob("*.py")) if path != THE_CLOCK]


def _bare_reads(tree: ast.AST) -> list[int]:
    """Lines reading `datetime.now`, `datetime.utcnow`, `date.today` (called or passed as a factory)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        name = (
            owner.id
            if isinstance(owner, ast.Name)
            else owner.attr
            if isinstance(owner, ast.Attribute)
            else ""
        )
        if (name, node.attr) in BARE:
            found.append(node.lineno)
    return sorted(found)


def _zones_named(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == "Asia/Ho_Chi_Minh"
    ]


def test_the_check_sees_a_bare_clock() -> None:
    sample = (
        "from datetime import date, datetime\nx = datetime.now()\ny = date.today()\nz = dt.datetime.utcnow\n"
    )
    assert _bare_reads(ast.parse(sample)) == [2, 3, 4]
    assert _bare_reads(ast.parse("clock.now()\nctx.today()\n")) == []


def test_no_code_reads_the_system_clock_but_the_kernels() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in _bare_reads(ast.parse(path.read_text("utf-8")))
    ]
    assert not offenders, f"read the time through a kernel Clock (dondoc/kernel/clock.py): {offenders}"


def test_vietnam_time_zone_is_named_once() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in _zones_named(ast.parse(path.read_text("utf-8")))
    ]
    assert not offenders, f"use dondoc.kernel.clock.VIETNAM: {offenders}"

"""The numbering marks of Decree 30/2020 documents: "I.", "1.", "1.1.", "a)", "-" and "+"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MarkKind = Literal["roman", "num", "subnum", "letter", "bullet", "plus", "text"]

# Deeper marks nest under shallower ones; free text never opens a level.
LEVEL: dict[MarkKind, int] = {
    "roman": 1,
    "num": 2,
    "subnum": 3,
    "letter": 4,
    "bullet": 5,
    "plus": 6,
    "text": 7,
}

_ROMAN = re.compile(r"^(?:(?:PHẦN|Phần|MỤC|Mục)\s+)?(?P<n>[IVX]{1,5})\s*[.)/:-]\s*(?P<rest>\S.*)$")
_NUM = re.compile(r"^(?P<n>\d{1,2})\s*[.)]\s*(?P<rest>\S.*)$")
_SUBNUM = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<n>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
_BULLET = re.compile(r"^(?P<n>[-–—•▪●◦*])\s*(?P<rest>\S.*)$")
_PLUS = re.compile(r"^(?P<n>\+)\s*(?P<rest>\S.*)$")
_LEADING_MARKS: tuple[tuple[MarkKind, re.Pattern[str]], ...] = (
    ("num", _NUM),
    ("letter", _LETTER),
    ("bullet", _BULLET),
    ("plus", _PLUS),
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@dataclass(frozen=True)
class Mark:
    """A paragraph's leading mark: its kind, its number as written, and the text after it."""

    kind: MarkKind
    number: str
    rest: str


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral up to 39, or None when it is not one."""
    total, prev = 0, 0
    for ch in reversed(numeral.upper()):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return None
        total += -value if value < prev else value
        prev = max(prev, value)
    return total if 0 < total < 40 else None


def read_mark(text: str) -> Mark:
    """Classify a paragraph by its leading mark."""
    text = text.strip()
    m = _ROMAN.match(text)
    if m and roman_value(m["n"]) is not None and not m["rest"][:1].islower():
        return Mark("roman", m["n"], m["rest"].strip())
    m = _SUBNUM.match(text)
    if m and not _looks_like_date(text):
        return Mark("subnum", m["n"], m["rest"].strip())
    for kind, pattern in _LEADING_MARKS:
        m = pattern.match(text)
        if m and not (kind == "num" and _looks_like_date(text)):
            return Mark(kind, m["n"], m["rest"].strip())
    return Mark("text", "", text)


def _looks_like_date(text: str) -> bool:
    return re.match(r"^\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}", text) is not None


def starts_block(text: str) -> bool:
    """Whether a line opens a new paragraph because of its mark."""
    return read_mark(text).kind != "text"

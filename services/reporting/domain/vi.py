"""Vietnamese conventions: local dates, number and date formats, alphabetical order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from dondoc.kernel.clock import VIETNAM

LocalDay = Callable[[datetime], date]

# Vietnamese alphabet order; letters with breve/circumflex/horn are letters of their own.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_DIGITS = re.compile(r"(\d+)")


def local_date(moment: datetime) -> date:
    """The calendar day in Hải Phòng; a naive datetime is taken as already local."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VIETNAM).date()


def format_date(day: date | None, empty: str = "") -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    return empty if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_int(value: int) -> str:
    """Thousands separated by dots: 3.300."""
    return f"{value:,}".replace(",", ".")


def round_percent(share: Fraction, places: int = 1) -> Decimal:
    """A share as a percentage rounded half up, exactly (no float drift at ,x5)."""
    exact = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_percent(percent: Decimal | None) -> str:
    """85,5% with a decimal comma; a dash when there is nothing to divide by."""
    if percent is None:
        return "–"
    text = f"{percent:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _letter_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    for char in text.casefold():
        parts = unicodedata.normalize("NFD", char)
        base = "".join(c for c in parts if c not in _TONES)
        base = unicodedata.normalize("NFC", base)
        tone = next((_TONES[c] for c in parts if c in _TONES), 0)
        rank = _LETTER_RANK.get(base)
        letters.append(rank + 1000 if rank is not None else ord(base[0]) if base else 0)
        tones.append(tone)
    return tuple(letters), tuple(tones)


@lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> tuple[object, ...]:
    """Sort key following the Vietnamese alphabet (a ă â … đ …), tones as a tie-breaker."""
    letters, tones = _letter_key(text)
    return (letters, tones, text)


@lru_cache(maxsize=65536)
def ref_sort_key(ref: str) -> tuple[object, ...]:
    """Natural order for task references: PL.2 before PL.10."""
    parts = _DIGITS.split(ref)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)

"""Text folding for unit names: one comparison key per spelling, never dropping diacritics."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Vietnamese tone marks as combining characters. Old ("hoà", "uỷ") and new ("hòa", "ủy") tone
# placement differ only in which vowel carries the mark, so the key moves the mark to the end of
# the syllable. The other marks (circumflex, breve, horn) and đ stay: "Giang" and "Giàng" differ.
_TONE_MARKS = {
    "\u0300": "`",  # huyền
    "\u0301": "'",  # sắc
    "\u0303": "~",  # ngã
    "\u0309": "?",  # hỏi
    "\u0323": ".",  # nặng
}

# Abbreviations plans use for words inside unit names. Applied word by word on the lowercased
# text, so they must be unambiguous in a unit name ("tt" is not: trung tâm or thể thao).
_ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "hdnd": "hội đồng nhân dân",
    "ub": "ủy ban",
    "vp": "văn phòng",
    "tp": "thành phố",
    "mttq": "mặt trận tổ quốc",
    "ubmttq": "ủy ban mặt trận tổ quốc",
    "ubmttqvn": "ủy ban mặt trận tổ quốc việt nam",
    "vn": "việt nam",
    "bch": "ban chỉ huy",
    "pvhcc": "phục vụ hành chính công",
    "đbqh": "đại biểu quốc hội",
}

_SPACE_RE = re.compile(r"\s+")


def written(text: str) -> str:
    """Return `text` as written, in NFC with runs of whitespace folded to one space."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _fold_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [_TONE_MARKS[c] for c in decomposed if c in _TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return base + "".join(tones)


def _words(text: str) -> list[str]:
    lowered = unicodedata.normalize("NFC", text).lower().replace("&", " và ")
    cleaned = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in lowered)
    return cleaned.split()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return the comparison key of a name: case, NFC/NFD, tone placement, punctuation, abbreviations."""
    expanded: list[str] = []
    for word in _words(text):
        expanded.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(_fold_tone(w) for w in expanded)


def skeleton(text: str) -> str:
    """Return a name without any diacritics, to gather suggestions only: never to decide a match."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "`'~?.").lower()


def slug(text: str) -> str:
    """Return an ASCII, upper-case, hyphenated slug of a name, for readable codes only (never matching)."""
    return "-".join(re.findall(r"[A-Za-z0-9]+", skeleton(text))).upper()


def lower_first(text: str) -> str:
    """Lower-case the first letter ("Phường An Biên" → "phường An Biên") to embed a name in a longer one."""
    return text[:1].lower() + text[1:]

"""Units' own words: which say nothing ("Không có."), and the same words from many units said once."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from services.reporting.domain.submission import Quote

# "Không", "Không có.", "Không có khó khăn, vướng mắc", "Chưa có kiến nghị", "Không có ý kiến đề xuất": a
# form's empty answer, not a difficulty or a proposal. Matched whole, so "Không có kinh phí …" stays.
_TOPIC = r"(?:khó khăn|vướng mắc|đề xuất|đề nghị|kiến nghị|ý kiến|gì|vấn đề gì|phát sinh)"
_NOTHING = re.compile(
    rf"^(?:(?:không|chưa|ko)(?: có)?(?: {_TOPIC}(?:(?:,| và| hoặc)? {_TOPIC})*)?|n a|none)$",
)
_LONGEST_NOTHING = 80  # characters; the longest empty answer is about half that
_PUNCTUATION = re.compile(r"[\s.,;:!…\-–—_/()\[\]\"“”']+")


def _plain(text: str) -> str:
    words = _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
    return re.sub(r"\s+", " ", words)


@lru_cache(maxsize=4096)
def says_nothing(text: str) -> bool:
    """True for an empty answer written as words ("Không có.", "Không có khó khăn, vướng mắc")."""
    if len(text) > _LONGEST_NOTHING:
        return False  # a city's thousands of real answers need no closer look
    plain = _plain(text)
    return not plain or _NOTHING.match(plain) is not None


@dataclass(frozen=True, slots=True)
class SharedQuote:
    """The same words written by several units (or once), with who wrote them, in first-seen order."""

    text: str
    quotes: tuple[Quote, ...]

    @property
    def unit_names(self) -> tuple[str, ...]:
        """Each unit once."""
        return tuple(dict.fromkeys(q.unit_name for q in self.quotes))


def _most_written(quotes: list[Quote]) -> str:
    """The way most units wrote the same words (the first such on a tie)."""
    counts = Counter(q.text for q in quotes)
    return max(counts, key=lambda text: counts[text])


def shared_quotes(quotes: Iterable[Quote]) -> tuple[SharedQuote, ...]:
    """Quotes grouped by their words (case and punctuation aside), the most widely shared first."""
    groups: dict[str, list[Quote]] = {}
    for quote in quotes:
        groups.setdefault(_plain(quote.text), []).append(quote)
    found = [SharedQuote(_most_written(items), tuple(items)) for items in groups.values()]
    # Stable sort: equally shared words keep the report order (units in directory order).
    return tuple(sorted(found, key=lambda s: -len(s.unit_names)))

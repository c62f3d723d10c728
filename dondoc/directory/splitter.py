"""Split a cell or line that names several units into one resolution per unit, text kept as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dondoc.directory.model import Resolution
from dondoc.directory.resolver import match, resolve
from dondoc.directory.text import fold, written

if TYPE_CHECKING:
    from dondoc.directory.directory import Directory

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_SEPARATORS = {",", ";", "/", ":", "\n"}
_CONNECTOR = "và"
_MAX_SPAN = 32  # tokens; the longest official names ("Văn phòng Đoàn ĐBQH và HĐND thành phố") are ~15
# Words a unit name starts with: where one unknown name ends and the next, run together, begins.
_HEADS = frozenset(
    fold(w) for w in ("Sở", "Phòng", "Ủy", "Uỷ", "UBND", "Văn", "Ban", "Trung", "Công", "Hội", "Thanh", "Bộ")
)
_LIST_HEADS = {fold("sở"): "Sở", fold("phòng"): "Phòng"}


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    newline_before: bool

    @property
    def word(self) -> bool:
        return self.text[0].isalnum() and self.text.lower() != _CONNECTOR

    @property
    def separator(self) -> bool:
        return self.text in _SEPARATORS or self.text.lower() == _CONNECTOR or self.newline_before


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for found in _TOKEN_RE.finditer(text):
        gap = text[previous_end : found.start()]
        tokens.append(_Token(found.group(), found.start(), found.end(), "\n" in gap and bool(tokens)))
        previous_end = found.end()
    return tokens


class _Splitter:
    def __init__(self, directory: Directory, text: str, context: str | None) -> None:
        self.directory = directory
        self.text = unicodedata.normalize("NFC", text)
        self.context = context
        self.tokens = _tokens(self.text)
        self.prefix = ""

    def span(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j].end]

    def known(self, i: int, j: int) -> Resolution | None:
        return match(self.directory, fold(f"{self.prefix} {self.span(i, j)}"), self.context)

    def longest(self, i: int) -> tuple[int, Resolution] | None:
        last = min(len(self.tokens), i + _MAX_SPAN) - 1
        for j in range(last, i - 1, -1):
            if self.tokens[j].word:
                found = self.known(i, j)
                if found is not None:
                    return j, found
        return None

    def list_prefix(self, i: int) -> int:
        """Detect "Các sở: Tư pháp, Tài chính" and return the index after the colon (or i)."""
        words = [fold(t.text) for t in self.tokens[i : i + 3]]
        start = 1 if words and words[0] in (fold("các"), fold("những")) else 0
        if len(words) > start + 1 and words[start] in _LIST_HEADS and self.tokens[i + start + 1].text == ":":
            self.prefix = _LIST_HEADS[words[start]]
            return i + start + 2
        return i

    def unknown_end(self, i: int) -> int:
        j = i
        while j + 1 < len(self.tokens) and not self.tokens[j + 1].separator:
            nxt = self.tokens[j + 1]
            if nxt.text[0].isupper() and fold(nxt.text).split()[0] in _HEADS and self.longest(j + 1):
                break
            j += 1
        while j > i and not self.tokens[j].word:
            j -= 1
        return j

    def piece(self, i: int, j: int, found: Resolution | None) -> Resolution:
        shown = written(self.span(i, j))
        if found is None:
            full = f"{self.prefix} {shown}" if self.prefix else shown
            return replace(resolve(self.directory, full, self.context, combine=False), text=shown)
        return replace(found, text=shown)

    def run(self) -> list[Resolution]:
        pieces: list[Resolution] = []
        i = 0
        while i < len(self.tokens):
            token = self.tokens[i]
            if token.text == ";" or token.newline_before:
                self.prefix = ""
            if not token.word:
                i += 1
                continue
            after = self.list_prefix(i)
            if after != i:
                i = after
                continue
            best = self.longest(i)
            j = best[0] if best else self.unknown_end(i)
            pieces.append(self.piece(i, j, best[1] if best else None))
            i = j + 1
        return pieces


def split_units(directory: Directory, text: str, context: str | None = None) -> list[Resolution]:
    """Split a cell naming several units (",", ";", "/", "và", newlines or nothing between them)."""
    return _Splitter(directory, text, context).run()

"""What every reader produces: paragraphs and tables in reading order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Para:
    """One logical paragraph (broken lines already joined)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts; merged cells appear once."""

    rows: tuple[tuple[str, ...], ...]


Block = Para | Table

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def clean(text: str) -> str:
    """NFC, whitespace folded, trimmed: how every text leaves the parser."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).replace("\n", " ")).strip()

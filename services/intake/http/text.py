"""Text hygiene at the edge: NFC everywhere, no control or bidirectional-override characters."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# C0/C1 controls other than tab and newlines, and the bidi embedding/override/isolate marks that can
# make a unit name or a number display differently from what it is (Trojan Source).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def clean_text(value: str) -> str:
    """Normalise to NFC and refuse invisible controls, with a message a ward officer can act on."""
    if _FORBIDDEN.search(value):
        raise ValueError(
            "Văn bản chứa ký tự điều khiển hoặc ký tự đảo chiều hiển thị không được phép; "
            "hãy gõ lại hoặc dán dưới dạng văn bản thuần."
        )
    return unicodedata.normalize("NFC", value).strip()


Text = Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=20_000)]
ShortText = Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=1, max_length=1_000)]

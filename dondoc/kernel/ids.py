"""Identifiers that sort by the time they were made (UUID version 7, RFC 9562).

An event's id is a key in every store that meets the event: the outbox that sends it, each consumer's inbox,
the rows an event makes once (notify's notices by source event). A random id (version 4) lands each new row
on a random page of those indexes, so a batch of 500 events dirtied a page per event and per index, and the
cost of a commit grew with the table. Ids made later sort later, so new rows go to the indexes' last pages.
"""

from __future__ import annotations

import os
import time


def time_ordered_id() -> str:
    """A new UUID version 7: 48 bits of Unix time in milliseconds, then 74 random bits."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits: 12 for rand_a, 62 for rand_b, 6 unused
    value = (millis & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a
    value |= 0b10 << 62  # variant (RFC 9562)
    value |= rand & ((1 << 62) - 1)  # rand_b
    return canonical(value)


def canonical(value: int) -> str:
    """A 128-bit value in a UUID's canonical text, as `str(uuid.UUID(int=value))` writes it.

    Without building a `uuid.UUID` (whose checks cost more than the formatting): ids are made for every event
    and every notice, thousands in a batch.
    """
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def time_prefix(text: str) -> int | None:
    """The 48-bit time of a UUIDv7 in place (the other 80 bits zero), or None when `text` is not one.

    Reads the text as `uuid.UUID(text)` does (braces, a `urn:uuid:` prefix, hyphens anywhere), then asks for
    version 7 of the RFC's variant.
    """
    digits = text.replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    if len(digits) != 32:
        return None
    try:
        value = int(digits, 16)
    except ValueError:
        return None
    if (value >> 76) & 0xF != 7 or (value >> 62) & 0b11 != 0b10:
        return None
    return (value >> 80) << 80

"""Turn the raw fields of one task (as written) into a DraftTask with review flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import clean
from .model import DraftTask, ReviewField
from .timeframe import interpret
from .units import UnitReader

_LEAD_AND_COORD = re.compile(
    r"^(?P<lead>.+?)\s+chủ trì\s*[,;]?\s*(?:(?:và\s+)?phối"
    r" hợp với\s+(?P<after>.+)|(?P<before>.+?)\s+phối hợp)$",
    re.IGNORECASE,
)


@dataclass
class RawTask:
    """A task's fields as the document writes them."""

    ref: str
    title: str
    group: str | None = None
    lead: str | None = None
    coordinating: str | None = None
    output: str | None = None
    timeframe: str | None = None
    review: list[ReviewField] = field(default_factory=list)


def build_task(raw: RawTask, units: UnitReader) -> DraftTask:
    """Resolve units and the timeframe; flag what a person must check."""
    lead_text, coord_text = _split_roles(raw.lead), raw.coordinating
    if lead_text != raw.lead and lead_text is not None and raw.lead is not None:
        coord_text = "; ".join(t for t in (_coord_part(raw.lead), coord_text) if t)
    lead, lead_unsure = units.read(lead_text)
    coordinating, coord_unsure = units.read(coord_text)
    timeframe = interpret(raw.timeframe)
    review = list(raw.review)
    if not lead or lead_unsure:
        review.append("lead")
    if coord_unsure:
        review.append("coordinating")
    if timeframe.kind == "unspecified" or (timeframe.kind == "deadline" and timeframe.due is None):
        review.append("timeframe")
    output = clean(raw.output).rstrip(" .;") if raw.output else None
    return DraftTask(
        ref=raw.ref,
        group=raw.group,
        title=clean(raw.title).rstrip(" .:;"),
        lead=lead,
        coordinating=coordinating,
        output=output or None,
        timeframe=timeframe,
        review=list(dict.fromkeys(review)),
    )


def _split_roles(lead: str | None) -> str | None:
    """ "Phòng A chủ trì, phối hợp với B": the lead part only."""
    if lead is None:
        return None
    m = _LEAD_AND_COORD.match(clean(lead).rstrip(" ."))
    return m["lead"] if m else lead


def _coord_part(lead: str) -> str | None:
    m = _LEAD_AND_COORD.match(clean(lead).rstrip(" ."))
    if not m:
        return None
    return m["after"] or m["before"]

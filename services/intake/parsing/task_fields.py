"""Turn the raw fields of one task (as written) into a DraftTask with review flags."""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import clean
from .clauses import read_roles
from .model import DraftTask, ReviewField
from .timeframe import interpret
from .units import UnitReader


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


def build_task(raw: RawTask, units: UnitReader, year: int | None = None) -> DraftTask:
    """Resolve units and the timeframe; flag what a person must check."""
    roles = read_roles(raw.lead)
    more = read_roles(raw.coordinating)
    named = more.lead + more.coordinating
    coord_names = roles.coordinating + [u for u in named if u not in roles.coordinating]
    lead, lead_unsure = units.refs(roles.lead)
    coordinating, coord_unsure = units.refs(coord_names)
    timeframe = interpret(raw.timeframe, year)
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

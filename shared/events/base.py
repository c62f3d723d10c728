"""What every event is made of: the strict contract base, and the values events share (units, senders,
timeframes)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.kernel.periods import Recurrence

TimeframeKind = Literal["deadline", "ongoing", "recurring", "on_request", "on_direction", "unspecified"]


class Contract(BaseModel):
    """A value inside an event: strict on the producing side."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(Contract):
    """Base of every payload; subclasses fix their topic and schema version."""

    topic: ClassVar[str]
    schema_version: ClassVar[int] = 1


class UnitRef(Contract):
    """A unit as a plan names it, with what the directory resolved it to."""

    text: str
    unit: str | None = None
    group: str | None = None


class Sender(Contract):
    """The person who sent a result or report from the workspace (absent when a unit's system sent it)."""

    username: str
    name: str


class Timeframe(Contract):
    """A task's timeframe as written and as interpreted."""

    text: str | None = None
    kind: TimeframeKind = "unspecified"
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)

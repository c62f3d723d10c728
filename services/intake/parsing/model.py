"""The draft plan, exactly as contracts/plan-draft.md specifies; `model_dump(mode="json")` is the contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TimeKind = Literal["deadline", "ongoing", "recurring", "on_request", "on_direction", "unspecified"]
Recurrence = Literal["monthly", "quarterly", "semiannual", "annual"]
ReviewField = Literal["title", "lead", "coordinating", "output", "timeframe"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitRef(_Strict):
    """A unit as the document names it, with the directory codes it resolved to (or nulls)."""

    text: str
    unit: str | None = None
    group: str | None = None


class Timeframe(_Strict):
    """When a task is due, as written and as understood."""

    text: str | None = None
    kind: TimeKind = "unspecified"
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)


class DraftTask(_Strict):
    """One task (nhiệm vụ) read from the plan."""

    ref: str
    group: str | None = None
    title: str
    lead: list[UnitRef] = Field(default_factory=list)
    coordinating: list[UnitRef] = Field(default_factory=list)
    output: str | None = None
    timeframe: Timeframe = Field(default_factory=Timeframe)
    review: list[ReviewField] = Field(default_factory=list)


class ReportingObligation(_Strict):
    """Who reports to whom, how often, as the plan states it."""

    reporter: list[UnitRef] = Field(default_factory=list)
    recipient: UnitRef | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    due: date | None = None
    text: str


class PlanMeta(_Strict):
    """The plan's own identity: title, issuer, number, date and what it implements."""

    title: str | None = None
    issuer: UnitRef | None = None
    number: str | None = None
    issued_on: date | None = None
    implements: list[str] = Field(default_factory=list)


class PlanDraft(_Strict):
    """The draft plan `dondoc parse` prints and intake stores for a person to confirm."""

    plan: PlanMeta = Field(default_factory=PlanMeta)
    tasks: list[DraftTask] = Field(default_factory=list)
    reporting: list[ReportingObligation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

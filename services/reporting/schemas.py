"""Reporting's HTTP models (the submission itself is `documents.json_models.SubmissionDocument`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Model(BaseModel):
    """Requests are strict: an unknown field is a mistake worth telling."""

    model_config = ConfigDict(extra="forbid")


class GenerateIn(Model):
    """Which submission to compile: a plan and a reporting period, or a plan and a date range."""

    plan_id: str = Field(min_length=1, max_length=64)
    period_id: str | None = Field(default=None, max_length=32, examples=["2026-S1"])
    period_start: date | None = None
    period_end: date | None = None
    as_of: date | None = None


class ReviewIn(Model):
    """A compiler's decision on one version of a unit's result or periodic report."""

    kind: Literal["result", "report"]
    item_id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1, le=2**31 - 1)  # past the store's integer range: a 422, not a 500
    decision: Literal["accepted", "returned"]
    note: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _returned_says_why(self) -> ReviewIn:
        if self.decision == "returned" and not (self.note or "").strip():
            raise ValueError("Khi trả lại để chỉnh sửa, hãy ghi rõ lý do (note) để đơn vị biết cần sửa gì.")
        return self


class PlanOut(BaseModel):
    """A plan as the reporting service knows it."""

    plan_id: str
    version: int
    number: str | None
    title: str
    issuer_unit: str | None
    issued_on: date | None
    implements_plan_id: str | None


class PeriodOut(BaseModel):
    """A reporting period of a plan."""

    period_id: str
    label: str
    window_start: date | None
    window_end: date | None
    first_deadline: date
    last_deadline: date
    expected: int


class GeneratedOut(BaseModel):
    """A generated submission and where to download it."""

    report_id: str
    plan_id: str
    period_id: str | None
    period_start: date
    period_end: date
    as_of: date
    trigger: str
    inputs_digest: str
    created_at: datetime
    links: dict[str, str]


class PendingOut(BaseModel):
    """A version waiting for (or having had) a compiler's review."""

    kind: Literal["result", "report"]
    item_id: str
    version: int
    unit: str
    plan_id: str | None
    submitted_at: datetime
    decision: str | None
    summary: str

"""What the tasks service answers over HTTP (kept apart from its tables)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class AssignmentOut(BaseModel):
    """One unit's part in one task, with its current status."""

    id: str
    plan_id: str
    plan_version: int
    task_ref: str
    task_title: str
    unit: str
    unit_name: str
    role: str
    output: str | None
    timeframe_kind: str
    timeframe_text: str | None
    start: date | None
    due: date | None
    status: str
    completed_on: date | None
    revision: int
    updated_at: datetime

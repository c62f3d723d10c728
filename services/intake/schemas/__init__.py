"""What ward and city systems send to intake, and what it answers (HTTP models, not tables)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dondoc.kernel.periods import Recurrence
from services.intake.http.text import ShortText, Text
from shared.events import TimeframeKind


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitIn(Model):
    """A unit as the plan names it; `unit`/`group` codes may be given when the sender knows them."""

    text: ShortText
    unit: str | None = Field(default=None, max_length=64)
    group: str | None = Field(default=None, max_length=128)
    to_designate: bool = Field(
        default=False,
        description="true: chưa xác định đơn vị; sẽ chỉ định sau (dịch vụ tasks hỏi người)",
    )


class TimeframeIn(Model):
    text: Text | None = None
    kind: TimeframeKind | None = None
    start: date | None = None
    due: date | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)


class TaskIn(Model):
    ref: ShortText
    title: Text = Field(min_length=1)
    group: Text | None = None
    lead: list[UnitIn] = Field(default_factory=list)
    coordinating: list[UnitIn] = Field(default_factory=list)
    output: Text | None = None
    timeframe: TimeframeIn = Field(default_factory=TimeframeIn)
    implements_task_ref: ShortText | None = None


class ReportingIn(Model):
    reporter: list[UnitIn]
    recipient: UnitIn | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    due: date | None = None
    text: Text | None = None


class PlanIn(Model):
    """A plan as structured JSON. `issuer` is the issuing unit's directory code."""

    issuer: str = Field(min_length=1, max_length=64, examples=["11407"])
    number: ShortText | None = Field(default=None, examples=["243/KH-UBND"])
    title: Text = Field(min_length=1)
    issued_on: date | None = None
    implements: list[Text] = Field(default_factory=list)
    implements_plan_id: str | None = Field(default=None, max_length=64)
    tasks: list[TaskIn] = Field(min_length=1, max_length=2000)
    reporting: list[ReportingIn] = Field(default_factory=list)
    draft: bool = Field(default=False, description="true: keep as a draft to confirm later")


class ConfirmIn(Model):
    """Confirming a draft: the tasks whose review flags the person looked at and marks as checked."""

    checked: list[ShortText] = Field(default_factory=list, max_length=2000)


class ResultIn(Model):
    """A unit's result on one of its assignments."""

    assignment_id: str = Field(min_length=1, max_length=64)
    unit: str = Field(min_length=1, max_length=64)
    status: Literal["dang_thuc_hien", "hoan_thanh"]
    completed_on: date | None = None
    output: Text | None = Field(default=None, examples=["Văn bản số 123/UBND-VP ngày 05/10/2025"])
    narrative: Text | None = None
    difficulties: Text | None = None
    proposals: Text | None = None
    attachments: list[ShortText] = Field(default_factory=list, max_length=50)


class ReportIn(Model):
    """A unit's periodic report for a reporting period."""

    unit: str = Field(min_length=1, max_length=64)
    period_id: str = Field(min_length=1, max_length=32, examples=["2026-S1"])
    plan_id: str | None = Field(default=None, max_length=64)
    narrative: Text | None = None
    difficulties: Text | None = None
    proposals: Text | None = None
    results: list[ResultIn] = Field(default_factory=list, max_length=5000)


class Accepted(BaseModel):
    """202: stored, its events leave through the outbox."""

    id: str
    status: str
    link: str


# Seed 000 (UBND phường An Biên, 22/9/2025), its first two tasks, as a ward system would send them.
PLAN_EXAMPLE: dict[str, object] = {
    "issuer": "11407",
    "title": (
        "Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội về cơ chế "
        "đặc biệt xử lý khó khăn, vướng mắc do quy định của pháp luật"
    ),
    "issued_on": "2025-09-22",
    "implements": [
        "Kế hoạch số 243/KH-UBND ngày 16/9/2025 của Ủy ban nhân dân thành phố Hải Phòng",
        "Nghị quyết số 206/2025/QH15 ngày 24/6/2025",
    ],
    "tasks": [
        {
            "ref": "II.1",
            "title": "Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15",
            "lead": [{"text": "Văn phòng HĐND và UBND"}],
            "coordinating": [{"text": "Các phòng chuyên môn"}, {"text": "các cơ quan, đơn vị có liên quan"}],
            "output": "Hội nghị, hội thảo, tọa đàm, tài liệu phổ biến, tài liệu truyền thông",
            "timeframe": {"text": "Từ quý II năm 2025 đến hết ngày 28/02/2027"},
        },
        {
            "ref": "II.2",
            "title": "Theo dõi, hướng dẫn, đôn đốc triển khai thực hiện Nghị quyết số 206/2025/QH15",
            "lead": [{"text": "Văn phòng HĐND và UBND"}],
            "coordinating": [{"text": "Các phòng chuyên môn"}, {"text": "các cơ quan, đơn vị có liên quan"}],
            "output": "Văn bản hướng dẫn, đôn đốc",
            "timeframe": {"text": "Từ quý II/2025 đến hết ngày 28/02/2027"},
        },
    ],
}

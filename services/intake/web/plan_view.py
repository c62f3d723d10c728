"""The draft review page's view: each task beside the text it was read from, its open flags, the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dondoc.directory import Directory
from services.intake.domain import plan_flags
from services.intake.domain.plan_flags import listed
from services.intake.models import PlanRecord
from services.intake.schemas import PlanIn, TaskIn
from services.intake.web.plan_form import KINDS, shown


@dataclass(frozen=True)
class TaskView:
    index: int
    task: TaskIn
    lead: str
    coordinating: str
    source: list[tuple[str, str]]  # (label, text as the document wrote it)
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanView:
    plan: PlanIn
    tasks: list[TaskView]
    flags: int
    kinds: list[str]  # the calendar ticked on the page
    calendar_missing: bool  # the plan states no reporting frequency
    warnings: list[str]


def _source(draft_task: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not draft_task:
        return []

    def names(key: str) -> str:
        return "; ".join(str(u.get("text", "")) for u in listed(draft_task.get(key)))

    time: dict[str, Any] = draft_task.get("timeframe") or {}
    pairs = [
        ("Nội dung", str(draft_task.get("title") or "")),
        ("Chủ trì", names("lead")),
        ("Phối hợp", names("coordinating")),
        ("Sản phẩm", str(draft_task.get("output") or "")),
        ("Thời hạn", str(time.get("text") or "")),
    ]
    return [(label, text) for label, text in pairs if text]


def _parsed(record: PlanRecord, ref: str) -> dict[str, Any] | None:
    """The task as read from the document; a task split from it shows its parent's text."""
    tasks = {str(t["ref"]): t for t in listed((record.draft or {}).get("tasks"))}
    while ref and ref not in tasks and "." in ref:
        ref = ref.rsplit(".", 1)[0]
    return tasks.get(ref)


def build(record: PlanRecord, directory: Directory, default: tuple[str, ...]) -> PlanView:
    """The page's view of a stored plan (draft or confirmed)."""
    plan = PlanIn.model_validate(record.content)
    flags = plan_flags.open_flags(record.draft, record.content)
    open_ = {str(f["ref"]): [str(x) for x in listed(f["fields"])] for f in flags}
    tasks = [
        TaskView(
            i, t, shown(t.lead), shown(t.coordinating), _source(_parsed(record, t.ref)), open_.get(t.ref, [])
        )
        for i, t in enumerate(plan.tasks)
    ]
    asked = {k for r in plan.reporting for k in r.recurrence}
    stated: list[str] = [kind for kind in KINDS if kind in asked]
    missing = not stated
    warnings = [str(w) for w in listed((record.draft or {}).get("warnings"))]
    return PlanView(plan, tasks, len(open_), stated or [k for k in default if k in KINDS], missing, warnings)

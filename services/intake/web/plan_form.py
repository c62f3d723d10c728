"""The draft review form read back into a plan: edits, splits, merges and drops (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dondoc.directory import Directory
from dondoc.kernel.periods import RECURRENCE_LABELS
from services.intake.schemas import PlanIn, ReportingIn, TaskIn, TimeframeIn, UnitIn
from services.intake.use_cases.resolution import interpret_timeframe

KEEP = "__keep"  # a link left as it is
ACTIONS = {
    "keep": "Giữ",
    "drop": "Bỏ (không phải nhiệm vụ)",
    "merge": "Gộp vào nhiệm vụ trên",
    "split": "Tách",
}
TIME_KINDS = {
    "ongoing": "Thường xuyên",
    "recurring": "Định kỳ",
    "on_request": "Theo yêu cầu",
    "on_direction": "Theo chỉ đạo",
    "unspecified": "Chưa rõ thời hạn: hãy ghi ngày hoặc «Thường xuyên»",
}
KINDS = RECURRENCE_LABELS


def shown(units: list[UnitIn]) -> str:
    """Units as the picker's field shows them: names, separated by semicolons."""
    return "; ".join(u.text for u in units)


def _units(directory: Directory, typed: str, was: list[UnitIn]) -> list[UnitIn]:
    """Names chosen from the directory's list (a datalist); an unknown name stays as written for the
    directory's resolver, and an unchanged field keeps the units exactly as stored."""
    if typed == shown(was):
        return was
    groups = {f"Nhóm: {g.label}": g for g in directory.groups()}
    chosen: list[UnitIn] = []
    for name in (n.strip() for n in typed.split(";")):
        if not name:
            continue
        if name in groups:
            chosen.append(UnitIn(text=groups[name].label, group=groups[name].code))
            continue
        exact = [u for u in directory.search(name, limit=10) if u.name == name]
        chosen.append(UnitIn(text=name, unit=exact[0].code) if exact else UnitIn(text=name))
    return chosen


def _edited(directory: Directory, form: Mapping[str, str], i: int, task: TaskIn) -> TaskIn:
    def typed(name: str, default: str) -> str:
        # A field the form did not carry (a task added since the page was drawn) keeps its value.
        return form.get(f"t{i}_{name}", default).strip()

    changes: dict[str, Any] = {
        "lead": _units(directory, typed("lead", shown(task.lead)), task.lead),
        "coordinating": _units(directory, typed("coordinating", shown(task.coordinating)), task.coordinating),
    }
    if (title := typed("title", task.title)) and title != task.title:
        changes["title"] = title
    if (output := typed("output", task.output or "")) != (task.output or ""):
        changes["output"] = output or None
    if (when := typed("time", task.timeframe.text or "")) != (task.timeframe.text or ""):
        changes["timeframe"] = interpret_timeframe(TimeframeIn(text=when or None))
    link = typed("implements", KEEP)
    if link != KEEP:
        changes["implements_task_ref"] = link or None
    return task.model_copy(update=changes)


def _split(task: TaskIn, text: str) -> list[TaskIn]:
    duties = [line.strip(" -–•;\t") for line in text.splitlines()]
    duties = [d for d in duties if d]
    if len(duties) < 2:
        return [task]
    return [task.model_copy(update={"ref": f"{task.ref}.{n}", "title": d}) for n, d in enumerate(duties, 1)]


def _merged(into: TaskIn, other: TaskIn) -> TaskIn:
    def union(a: list[UnitIn], b: list[UnitIn]) -> list[UnitIn]:
        return a + [u for u in b if u not in a]

    output = "; ".join(o for o in (into.output, other.output) if o) or None
    return into.model_copy(
        update={
            "title": f"{into.title}; {other.title}",
            "lead": union(into.lead, other.lead),
            "coordinating": union(into.coordinating, other.coordinating),
            "output": output,
        }
    )


def split_problems(form: Mapping[str, str], count: int) -> dict[str, str]:
    """A split that names fewer than two duties, or a merge with nothing above: said next to the field."""
    problems: dict[str, str] = {}
    for i in range(count):
        action = form.get(f"t{i}_action", "keep")
        if action == "split" and len([x for x in form.get(f"t{i}_split", "").splitlines() if x.strip()]) < 2:
            problems[f"t{i}_split"] = "Hãy ghi mỗi nhiệm vụ tách ra trên một dòng (ít nhất hai dòng)."
        if action == "merge" and i == 0:
            problems[f"t{i}_action"] = "Nhiệm vụ đầu tiên không có nhiệm vụ nào ở trên để gộp vào."
    return problems


CHOSEN = "Báo cáo định kỳ theo lịch do đơn vị ban hành chọn khi xác nhận kế hoạch."


def reporting(plan: PlanIn, form: Mapping[str, str]) -> list[ReportingIn]:
    """The reporting calendar as chosen: the kinds ticked, on every obligation the plan states; when it
    states none, one obligation of every unit given a task (as tasks' default, ADR 0073), made again
    after each edit so that it follows the tasks."""
    kinds = [k for k in KINDS if form.get(f"report_{k}") == "on"]
    stated = [r for r in plan.reporting if r.text != CHOSEN]
    if stated:
        return [r.model_copy(update={"recurrence": kinds or r.recurrence}) for r in stated]
    if not kinds:
        return []
    reporters: list[UnitIn] = []
    for task in plan.tasks:
        reporters += [u for u in (*task.lead, *task.coordinating) if u not in reporters]
    if not reporters:
        return []
    recipient = UnitIn(text=plan.issuer, unit=plan.issuer)
    return [ReportingIn(reporter=reporters, recipient=recipient, recurrence=kinds, text=CHOSEN)]


def apply(directory: Directory, plan: PlanIn, form: Mapping[str, str]) -> PlanIn:
    """The plan after the person's edits; an untouched field keeps its value exactly as stored."""
    tasks: list[TaskIn] = []
    for i, task in enumerate(plan.tasks):
        action = form.get(f"t{i}_action", "keep")
        if action == "drop":
            continue
        edited = _edited(directory, form, i, task)
        if action == "merge" and tasks:
            tasks[-1] = _merged(tasks[-1], edited)
        elif action == "split":
            tasks.extend(_split(edited, form.get(f"t{i}_split", "")))
        else:
            tasks.append(edited)
    changes: dict[str, Any] = {"tasks": tasks or plan.tasks, "draft": True}
    if (title := form.get("title", "").strip()) and title != plan.title:
        changes["title"] = title
    if (number := form.get("number", "").strip()) != (plan.number or ""):
        changes["number"] = number or None
    link = form.get("implements_plan", KEEP)
    if link != KEEP:
        changes["implements_plan_id"] = link or None
    edited_plan = plan.model_copy(update=changes)
    return edited_plan.model_copy(update={"reporting": reporting(edited_plan, form)})

"""Give every unit a plan names its directory code, and every written timeframe its dates (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from dondoc.directory import Directory, UnknownCode
from services.intake.parsing.duties import is_general
from services.intake.parsing.timeframe import interpret
from services.intake.schemas import PlanIn, ReportingIn, TaskIn, TimeframeIn, UnitIn


@dataclass(frozen=True)
class UnitProblem:
    """A unit name that points at nobody known: where it is, what was written, what it may have meant."""

    field: str
    text: str
    candidates: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, object]:
        """The problem as the 422 answer lists it."""
        return {
            "field": self.field,
            "text": self.text,
            "candidates": list(self.candidates),
            "message": self.message,
        }


class UnresolvedUnits(ValueError):
    """Some units of a plan could not be resolved; each problem says where and offers candidates."""

    def __init__(self, problems: list[UnitProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _names(directory: Directory, codes: tuple[str, ...]) -> str:
    shown = [f"{directory.unit(c).name} ({c})" for c in codes[:5] if directory.get(c) is not None]
    return "; ".join(shown)


def _unknown(directory: Directory, where: str, text: str, candidates: tuple[str, ...]) -> UnitProblem:
    hint = f" Có thể là: {_names(directory, candidates)}." if candidates else ""
    message = f"Không tìm thấy đơn vị «{text}» trong danh mục.{hint} Hãy ghi rõ tên hoặc mã đơn vị."
    return UnitProblem(where, text, candidates, message)


def check_issuer(directory: Directory, issuer: str) -> None:
    """The issuer must be an active unit code of the directory."""
    unit = directory.get(issuer)
    if unit is None or not unit.active:
        found = tuple(u.code for u in directory.search(issuer, limit=5))
        raise UnresolvedUnits([_unknown(directory, "issuer", issuer, found)])


def _given(directory: Directory, unit: UnitIn, where: str) -> UnitProblem | None:
    if unit.unit is not None and directory.get(unit.unit) is None:
        return _unknown(directory, where + ".unit", unit.unit, ())
    if unit.group is not None:
        try:
            directory.expand(unit.group)
        except UnknownCode:
            return _unknown(directory, where + ".group", unit.group, ())
    return None


def _resolve_unit(
    directory: Directory,
    unit: UnitIn,
    where: str,
    context: str,
    problems: list[UnitProblem],
    external: bool = False,
) -> list[UnitIn]:
    if unit.unit is not None or unit.group is not None or unit.to_designate:
        problem = _given(directory, unit, where)
        problems.extend([problem] if problem else [])
        return [unit]
    found = directory.resolve(unit.text, context)
    if found.resolved:
        return [unit.model_copy(update={"unit": found.unit, "group": found.group})]
    if found.needs_designation or (external and found.external):
        # A body outside the city ("Bộ Tư pháp") receives reports; it is never given a task.
        return [unit]
    pieces = directory.split_units(unit.text, context)
    if len(pieces) > 1 and all(p.resolved for p in pieces):
        return [UnitIn(text=p.text, unit=p.unit, group=p.group) for p in pieces]
    problems.append(_unknown(directory, where + ".text", unit.text, found.candidates))
    return [unit]


def _units(
    directory: Directory,
    units: list[UnitIn],
    where: str,
    context: str,
    problems: list[UnitProblem],
    external: bool = False,
) -> list[UnitIn]:
    out: list[UnitIn] = []
    for n, unit in enumerate(units):
        out.extend(_resolve_unit(directory, unit, f"{where}.{n}", context, problems, external))
    return out


def interpret_timeframe(timeframe: TimeframeIn) -> TimeframeIn:
    """Fill kind/dates from the written text when the sender gave only the text."""
    if not timeframe.text or timeframe.kind is not None or timeframe.due is not None:
        return timeframe
    meant = interpret(timeframe.text)
    return timeframe.model_copy(
        update={
            "kind": meant.kind,
            "start": timeframe.start or meant.start,
            "due": meant.due,
            "recurrence": list(dict.fromkeys([*timeframe.recurrence, *meant.recurrence])),
        }
    )


def _task(directory: Directory, task: TaskIn, n: int, context: str, problems: list[UnitProblem]) -> TaskIn:
    where = f"tasks.{n}"
    return task.model_copy(
        update={
            "lead": _units(directory, task.lead, where + ".lead", context, problems),
            "coordinating": _units(directory, task.coordinating, where + ".coordinating", context, problems),
            "timeframe": interpret_timeframe(task.timeframe),
        }
    )


def _reporting(
    directory: Directory, item: ReportingIn, n: int, context: str, problems: list[UnitProblem]
) -> ReportingIn:
    where = f"reporting.{n}"
    recipient = item.recipient
    if recipient is not None:
        recipient = _units(directory, [recipient], where + ".recipient", context, problems, external=True)[0]
    reporter = _units(directory, item.reporter, where + ".reporter", context, problems)
    return item.model_copy(update={"reporter": reporter, "recipient": recipient})


def resolve_draft(directory: Directory, plan: PlanIn) -> tuple[PlanIn, list[UnitProblem]]:
    """The plan with every unit that can be resolved resolved, and the problems of the others.

    One rule for the draft, PUT, PATCH and confirm: a draft may hold problems (it is saved as it was
    returned), confirming may not (`resolve_plan`).
    """
    check_issuer(directory, plan.issuer)
    problems: list[UnitProblem] = []
    tasks = [_task(directory, t, n, plan.issuer, problems) for n, t in enumerate(plan.tasks)]
    reporting = [_reporting(directory, r, n, plan.issuer, problems) for n, r in enumerate(plan.reporting)]
    return plan.model_copy(update={"tasks": tasks, "reporting": reporting}), problems


def resolve_plan(directory: Directory, plan: PlanIn) -> PlanIn:
    """Return the plan with its units resolved in the issuer's context; raise UnresolvedUnits otherwise."""
    resolved, problems = resolve_draft(directory, plan)
    if problems:
        raise UnresolvedUnits(problems)
    return resolved


def open_questions(directory: Directory, plan: PlanIn) -> list[str]:
    """What still stops a draft from being confirmed, in Vietnamese (empty: ready to confirm)."""
    questions: list[str] = []
    for task in plan.tasks:
        if is_general(task.title):
            # Restating the plan's organisation or its reporting duty is no one's task: assigning it would
            # give every unit named a task it can never finish. Confirming never does so silently.
            questions.append(
                f"Nhiệm vụ {task.ref} chỉ nhắc lại việc tổ chức thực hiện hoặc chế độ báo cáo của kế hoạch, "
                "không phải một nhiệm vụ cụ thể: hãy xóa khỏi danh sách nhiệm vụ (chế độ báo cáo ghi ở mục "
                "reporting), hoặc ghi rõ việc phải làm nếu đó đúng là một nhiệm vụ."
            )
        if not task.lead:
            questions.append(f"Nhiệm vụ {task.ref}: chưa có đơn vị chủ trì.")
        for unit in (*task.lead, *task.coordinating):
            if unit.unit or unit.group or unit.to_designate:
                continue
            if not directory.resolve(unit.text, plan.issuer).needs_designation:
                questions.append(
                    f"Nhiệm vụ {task.ref}: chưa xác định được đơn vị «{unit.text}»; "
                    "hãy chọn đơn vị trong danh mục hoặc đánh dấu to_designate (chỉ định sau)."
                )
    return questions

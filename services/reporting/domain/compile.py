"""Compile the city-level submission from the read model's facts (pure, deterministic)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from dondoc.kernel.status import TaskStatus
from dondoc.kernel.versions import completion
from services.reporting.domain.cascade import cascade_rows
from services.reporting.domain.inputs import Assignment, ReceivedReport, ReportingInputs, Result, Task, Unit
from services.reporting.domain.narrative import build_narrative
from services.reporting.domain.progress import approved_reports, reporting_progress
from services.reporting.domain.quotes import says_nothing
from services.reporting.domain.rates import StatusCounts
from services.reporting.domain.status import combine_statuses, current_results, judge_status
from services.reporting.domain.submission import (
    AssignedUnit,
    Quote,
    Submission,
    TaskSummary,
    UnitResultLine,
    UnitSummary,
)
from services.reporting.domain.units import find_unit, unit_sort_key
from services.reporting.domain.vi import local_date, ref_sort_key


@dataclass(frozen=True, slots=True)
class _Judged:
    assignment: Assignment
    task: Task
    unit: Unit
    due: date | None
    status: TaskStatus
    result: Result | None


def compile_submission(
    inputs: ReportingInputs,
    period_start: date,
    period_end: date,
    as_of: date,
    period_ids: frozenset[str] | None = None,
    judged_on: date | None = None,
) -> Submission:
    """Compile per task, per unit, report arrival, cascade and the narrative skeleton.

    Results and reports are those known on `as_of`; statuses are judged on `judged_on` (default
    `as_of`): a closed period's data cut-off, so that a result completed after the window closed, or a
    deadline that fell after it, does not colour the period. Expected reports count when they belong
    to `period_ids` or, when no period is named, when their deadline falls within [period_start, period_end].
    """
    if period_end < period_start:
        raise ValueError("period_end is before period_start")
    judged_on = as_of if judged_on is None else min(judged_on, as_of)
    units = {unit.code: unit for unit in inputs.units}
    tasks = sorted(
        (t for t in inputs.tasks if t.plan_id == inputs.plan.id), key=lambda t: (ref_sort_key(t.ref), t.id)
    )
    judged = _judge_all(inputs, tasks, units, as_of, judged_on)
    task_summaries = tuple(_summarise_task(task, judged.get(task.id, []), judged_on) for task in tasks)
    unit_summaries = _summarise_units(inputs, judged, units, period_start, period_end, period_ids)
    reporting = reporting_progress(inputs, units, period_start, period_end, as_of, period_ids)
    cascade = cascade_rows(tasks, inputs.assignments, inputs.cascade_links, units)
    submission = Submission(
        plan=inputs.plan,
        period_start=period_start,
        period_end=period_end,
        as_of=judged_on,
        task_counts=StatusCounts.of([t.status for t in task_summaries]),
        assignment_counts=StatusCounts.of([j.status for js in judged.values() for j in js]),
        tasks=task_summaries,
        units=unit_summaries,
        reporting=reporting,
        cascade=cascade,
        difficulties=tuple(q for u in unit_summaries for q in u.difficulties),
        proposals=tuple(q for u in unit_summaries for q in u.proposals),
        narrative=(),
    )
    return replace(submission, narrative=build_narrative(submission))


def _judge_all(
    inputs: ReportingInputs, tasks: list[Task], units: dict[str, Unit], as_of: date, judged_on: date
) -> dict[str, list[_Judged]]:
    by_id = {task.id: task for task in tasks}
    current = current_results(inputs.results, as_of, local_date)
    judged: dict[str, list[_Judged]] = defaultdict(list)
    for assignment in inputs.assignments:
        task = by_id.get(assignment.task_id)
        if task is None:
            continue
        due = assignment.due if assignment.due is not None else task.due
        result = current.get(assignment.id)
        if result is not None:
            done = completion(result.status_reported, result.completed_on)
            # Completed after the data cut-off: reported, but not a completion of this period.
            if done != result.completed_on or (done is not None and done > judged_on):
                result = replace(result, completed_on=None)
        completed_on = result.completed_on if result else None
        status = judge_status(due, completed_on, judged_on)
        unit = find_unit(units, assignment.unit_code)
        judged[task.id].append(_Judged(assignment, task, unit, due, status, result))
    for items in judged.values():
        # Lead units first, then the directory order, so every rendering lists them alike.
        items.sort(key=lambda j: (j.assignment.role != "chu_tri", unit_sort_key(j.unit), j.assignment.id))
    return judged


def _summarise_task(task: Task, judged: list[_Judged], as_of: date) -> TaskSummary:
    leads = [j.status for j in judged if j.assignment.role == "chu_tri"] or [j.status for j in judged]
    return TaskSummary(
        task_id=task.id,
        ref=task.ref,
        title=task.title,
        due=task.due,
        status=combine_statuses(leads, task.due, as_of),
        counts=StatusCounts.of([j.status for j in judged]),
        units=tuple(
            AssignedUnit(
                unit_code=j.unit.code,
                unit_name=j.unit.name,
                role=j.assignment.role,
                due=j.due,
                status=j.status,
                reported=j.result is not None,
                completed_on=j.result.completed_on if j.result else None,
                output=_as_written(j.result.output) if j.result else "",
            )
            for j in judged
        ),
        outputs=tuple(
            Quote(j.unit.code, j.unit.name, task.ref, _as_written(j.result.output))
            for j in judged
            if j.result is not None and j.result.output.strip()
        ),
        not_reported=tuple(j.unit.name for j in judged if j.result is None),
    )


def _summarise_units(
    inputs: ReportingInputs,
    judged: dict[str, list[_Judged]],
    units: dict[str, Unit],
    period_start: date,
    period_end: date,
    period_ids: frozenset[str] | None,
) -> tuple[UnitSummary, ...]:
    per_unit: dict[str, list[_Judged]] = defaultdict(list)
    for items in judged.values():
        for j in items:
            per_unit[j.unit.code].append(j)
    reports: dict[str, list[ReceivedReport]] = defaultdict(list)
    for report in approved_reports(inputs, period_start, period_end, period_ids):
        reports[report.unit_code].append(report)
    codes = set(per_unit) | set(reports)
    summaries = []
    for unit in sorted((find_unit(units, c) for c in codes), key=unit_sort_key):
        lines = sorted(per_unit.get(unit.code, []), key=lambda j: (ref_sort_key(j.task.ref), j.task.id))
        own_reports = reports.get(unit.code, [])
        difficulties = [
            _quote(unit, f"Nhiệm vụ {j.task.ref}", j.result.difficulties) for j in lines if j.result
        ]
        difficulties += [_quote(unit, f"Báo cáo kỳ {r.period_id}", r.difficulties) for r in own_reports]
        proposals = [_quote(unit, f"Nhiệm vụ {j.task.ref}", j.result.proposals) for j in lines if j.result]
        proposals += [_quote(unit, f"Báo cáo kỳ {r.period_id}", r.proposals) for r in own_reports]
        summaries.append(
            UnitSummary(
                unit=unit,
                counts=StatusCounts.of([j.status for j in lines]),
                results=tuple(_result_line(j) for j in lines),
                difficulties=tuple(q for q in difficulties if q is not None),
                proposals=tuple(q for q in proposals if q is not None),
            )
        )
    return tuple(summaries)


def _result_line(j: _Judged) -> UnitResultLine:
    result = j.result
    return UnitResultLine(
        task_ref=j.task.ref,
        task_title=j.task.title,
        role=j.assignment.role,
        due=j.due,
        status=j.status,
        reported=result is not None,
        completed_on=result.completed_on if result else None,
        output=_as_written(result.output) if result else "",
        narrative=_as_written(result.narrative) if result else "",
        version=result.version if result else None,
    )


def _quote(unit: Unit, source: str, text: str) -> Quote | None:
    written = _as_written(text)
    # "Không có." is a form's empty answer, not a difficulty to quote (domain/quotes.py says which are).
    return Quote(unit.code, unit.name, source, written) if not says_nothing(written) else None


def _as_written(text: str) -> str:
    # Words stay the unit's own; only the Unicode form is normalised so documents are NFC.
    return unicodedata.normalize("NFC", text.strip())

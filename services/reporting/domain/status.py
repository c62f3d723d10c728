"""Task status as the Government Office's task tracking judges it: against due and completion dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dondoc.kernel.status import TaskStatus
from services.reporting.domain.inputs import Result
from services.reporting.domain.vi import LocalDay


def judge_status(due: date | None, completed_on: date | None, as_of: date) -> TaskStatus:
    """Judge one piece of work; arrival time of the report never matters, only these dates.

    A completion date after `as_of` is not a completion yet (the compile looks back from `as_of`).
    """
    if completed_on is not None and completed_on <= as_of:
        if due is None or completed_on <= due:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if due is None or as_of <= due:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.OVERDUE


def combine_statuses(statuses: Iterable[TaskStatus], due: date | None, as_of: date) -> TaskStatus:
    """A task's status from its lead units': done only when every lead unit is done."""
    collected = list(statuses)
    if collected and all(s.is_done for s in collected):
        late = any(s is TaskStatus.DONE_LATE for s in collected)
        return TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME
    return judge_status(due, None, as_of)


def current_results(results: Iterable[Result], cutoff: date, local_day: LocalDay) -> dict[str, Result]:
    """The latest approved version per assignment among results recorded by the cut-off day.

    Verify, then aggregate: an unapproved version is invisible, so an earlier approved one stands.
    """
    current: dict[str, Result] = {}
    for result in results:
        if not result.approved or local_day(result.reported_at) > cutoff:
            continue
        held = current.get(result.assignment_id)
        if held is None or (result.version, result.reported_at) > (held.version, held.reported_at):
            current[result.assignment_id] = result
    return current

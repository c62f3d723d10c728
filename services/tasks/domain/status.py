"""Task status as the Government Office's task tracking names it, judged from dates only."""

from __future__ import annotations

from datetime import date

from dondoc.kernel.status import TaskStatus
from services.tasks.domain.periods import ReportingPeriod


def judge(due: date | None, start: date | None, completed_on: date | None, today: date) -> TaskStatus:
    """Judge a task against its due date and the completion date the unit reports.

    The completion date is the date the work was done as the unit states it (e.g. the date of the
    document issued), never when the message arrived: a result sent late for work done on time is
    still on time. Finishing on the due date is on time. Before `start` the task is "chưa đến hạn"
    (its time has not come); a task without a due date (ongoing) is never overdue.
    """
    if completed_on is not None:
        if due is not None and completed_on > due:
            return TaskStatus.DONE_LATE
        return TaskStatus.DONE_ON_TIME
    if due is not None and today > due:
        return TaskStatus.OVERDUE
    if start is not None and today < start:
        return TaskStatus.NOT_YET_DUE
    return TaskStatus.IN_PROGRESS


def judge_period(
    period: ReportingPeriod, reported_on: date | None, today: date, *, deadline: date
) -> TaskStatus:
    """Judge one period of an ongoing or recurring task by its report against the send-by deadline.

    Before the period's window opens nothing is due yet; during the window and until the deadline
    the unit is working in time. `deadline` comes from `deadlines.deadline_for` for the unit's level.
    """
    if deadline < period.window_start:
        raise ValueError("a report cannot be due before its period starts")
    return judge(due=deadline, start=period.window_start, completed_on=reported_on, today=today)

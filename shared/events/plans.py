"""Plans and what they assign: a confirmed plan, its assignments, their withdrawal, status and deadlines."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from dondoc.kernel.periods import PeriodId, Recurrence
from dondoc.kernel.refs import unique_refs
from dondoc.kernel.roles import Role
from dondoc.kernel.status import TaskStatus
from shared import topics
from shared.events.base import Contract, Event, Timeframe, UnitRef


class PlanTask(Contract):
    """A task of a confirmed plan."""

    ref: str
    title: str
    group: str | None = None
    lead: list[UnitRef] = Field(default_factory=list)
    coordinating: list[UnitRef] = Field(default_factory=list)
    output: str | None = None
    timeframe: Timeframe = Field(default_factory=Timeframe)
    implements_task_ref: str | None = None


def unique_task_refs(tasks: list[PlanTask]) -> list[str]:
    """Task refs as every event names them: "II.1", then "II.1#2" for a repeated ref, "#3" for none."""
    return unique_refs(task.ref for task in tasks)


class ReportingObligation(Contract):
    """Who reports to whom and how often, as the plan states it."""

    reporter: list[UnitRef]
    recipient: UnitRef | None = None
    recurrence: list[Recurrence] = Field(default_factory=list)
    due: date | None = None
    text: str | None = None


class PlanReceived(Event):
    """Emitted when a plan is confirmed by its issuing unit (version > 1 when it is revised)."""

    topic: ClassVar[str] = topics.PLAN_RECEIVED

    plan_id: str
    version: int = 1
    number: str | None = None
    title: str
    issued_on: date | None = None
    issuer: UnitRef
    implements: list[str] = Field(default_factory=list)
    implements_plan_id: str | None = None
    tasks: list[PlanTask]
    reporting: list[ReportingObligation] = Field(default_factory=list)


class TaskAssigned(Event):
    """Emitted when a unit is given (or, with revision > 1, given a changed) task of a plan."""

    topic: ClassVar[str] = topics.TASK_ASSIGNED

    assignment_id: str
    revision: int = 1
    plan_id: str
    plan_version: int
    plan_number: str | None = None
    plan_title: str
    task_ref: str
    task_title: str
    unit: str
    unit_name: str
    role: Role
    output: str | None = None
    timeframe: Timeframe


class TaskWithdrawn(Event):
    """Emitted when a revised plan no longer gives a unit a task it had."""

    topic: ClassVar[str] = topics.TASK_WITHDRAWN

    assignment_id: str
    plan_id: str
    plan_version: int
    unit: str


class TaskStatusChanged(Event):
    """Emitted when an assignment's status changes (a result arrived, or its due date passed)."""

    topic: ClassVar[str] = topics.TASK_STATUS_CHANGED

    assignment_id: str
    unit: str
    status: TaskStatus
    previous_status: TaskStatus | None = None
    completed_on: date | None = None
    as_of: date
    period_id: PeriodId | None = None  # set for ongoing/recurring tasks, judged per reporting period


class DeadlineNear(Event):
    """Emitted once per assignment and reminder offset when its due date approaches."""

    topic: ClassVar[str] = topics.DEADLINE_NEAR

    assignment_id: str
    unit: str
    due: date
    days_left: int
    offset_days: int
    # Working days left (after today, up to the due date) when tasks counts its reminders in working days.
    working_days_left: int | None = None


class TaskOverdue(Event):
    """Emitted once, the day after an assignment's due date passed without completion."""

    topic: ClassVar[str] = topics.TASK_OVERDUE

    assignment_id: str
    unit: str
    due: date

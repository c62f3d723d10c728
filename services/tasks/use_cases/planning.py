"""A confirmed plan becomes assignments: first version fans out, revisions add, change and withdraw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol, cast

from sqlalchemy import delete, or_
from sqlmodel import col, select

from dondoc.kernel.periods import Recurrence
from dondoc.platform.consumer import Poison
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.domain.assignments import (
    AssignmentSpec,
    diff_plan_versions,
    plan_assignments,
)
from services.tasks.domain.assignments import (
    AwaitingDesignation as Marker,
)
from services.tasks.domain.status import judge
from services.tasks.models import Assignment, AwaitingDesignation, FiredReminder, PlanCopy, ResultRecord
from services.tasks.use_cases import cascade, obligations
from services.tasks.use_cases.results import catch_up, early_results, status_event
from shared.events import (
    PlanReceived,
    PlanTask,
    TaskAssigned,
    TaskWithdrawn,
    Timeframe,
    TimeframeKind,
    unique_task_refs,
)


async def on_plan_received(uow: UnitOfWork, plan: PlanReceived, ctx: TasksContext) -> None:
    """Turn a plan version into assignments; the same (or an older) version again changes nothing."""
    session = uow.session
    await uow.write_inserted()  # an earlier version of the plan in the same batch: its rows are found below
    copy = await session.get(PlanCopy, plan.plan_id)
    if copy is not None and copy.version >= plan.version:
        return
    revision = _Revision(uow, ctx, plan, _copy(copy, plan, ctx.today(), ctx.now()))
    session.add(revision.copy)
    planned = plan_assignments(plan, ctx.directory.expand)
    units = [spec.unit for spec in planned.specs]
    refused = ctx.directory.not_addressable(plan.issuer.unit or "", units, ctx.settings.plan_addressing)
    if refused:
        # Intake refuses such a plan at its door; an event that got past it anyway is never assigned.
        issuer = plan.issuer.unit
        raise Poison(f"plan {plan.plan_id} of {issuer} may not address {', '.join(refused)} (ADR 0031)")
    query = select(Assignment).where(col(Assignment.plan_id) == plan.plan_id)
    rows = {row.id: row for row in (await session.exec(query)).all()}
    current = [r for r in rows.values() if not r.withdrawn and not r.designated]
    diff = diff_plan_versions([spec_of(r) for r in current], planned.specs)
    early = await early_results(uow, [spec.assignment_id for spec in diff.added])
    for spec in diff.added:
        await revision.add(spec, rows.get(spec.assignment_id), early.get(spec.assignment_id, []))
    for change in diff.changed:
        await revision.change(rows[change.old.assignment_id], change.new, "due" in change.fields)
    tasks = dict(zip(unique_refs(plan.tasks), plan.tasks, strict=True))
    for row in rows.values():
        if row.designated and not row.withdrawn and row.task_ref in tasks:
            await revision.follow(row, tasks[row.task_ref])
    gone = [rows[s.assignment_id] for s in diff.withdrawn]
    gone += [r for r in rows.values() if r.designated and not r.withdrawn and r.task_ref not in tasks]
    for row in gone:
        revision.withdraw(row)
    for same in diff.unchanged:
        rows[same.assignment_id].plan_version = plan.version
        session.add(rows[same.assignment_id])
    await _store_markers(uow, planned.awaiting, plan.issuer.unit, revision.now)
    await obligations.store(uow, plan, ctx, revision.today)
    await cascade.link_plan(uow, revision.copy, ctx.settings.similarity_threshold)


class _Revision:
    """Applies one plan version's differences to the stored assignments, announcing each."""

    def __init__(self, uow: UnitOfWork, ctx: TasksContext, plan: PlanReceived, copy: PlanCopy) -> None:
        self.uow, self.ctx, self.plan, self.copy = uow, ctx, plan, copy
        self.today, self.now = ctx.today(), ctx.now()
        self.texts = _timeframe_texts(plan.tasks)

    async def add(self, spec: AssignmentSpec, row: Assignment | None, early: Sequence[ResultRecord]) -> None:
        """A new unit on a task (or one withdrawn earlier and given it again: same id, next revision)."""
        if row is None and not early:
            # A plan's first version fans out to thousands of these: a plain row written with the others
            # in one statement, and its event built from the same values (no ORM object, nothing to catch
            # up on since no result came before it).
            fresh = _fresh(spec, self.plan.version, self.ctx, self.today, self.now, self.texts)
            self.uow.insert(Assignment, **fresh.values())
            self.uow.emit(assigned_event(fresh, self.copy), key=fresh.unit, subject=fresh.id)
            return
        if row is None:
            row = new_assignment(spec, self.plan.version, self.ctx, self.today)
        else:
            row.withdrawn, row.revision = False, row.revision + 1
            _apply_terms(row, spec, self.plan.version, self.today, self.now)
        row.timeframe_text = self.texts.get(spec.task_ref)
        self.uow.session.add(row)
        self.uow.emit(assigned_event(row, self.copy), key=row.unit, subject=row.id)
        await catch_up(self.uow, row, self.ctx, early)

    async def change(self, row: Assignment, spec: AssignmentSpec, due_changed: bool) -> None:
        """New terms for a unit's task: next revision; a new due date means new reminders."""
        before = row.status
        _apply_terms(row, spec, self.plan.version, self.today, self.now)
        row.timeframe_text = self.texts.get(spec.task_ref)
        row.revision += 1
        self.uow.session.add(row)
        if due_changed:
            await _forget_reminders(self.uow, row.id)
        self.uow.emit(assigned_event(row, self.copy), key=row.unit, subject=row.id)
        if row.status != before:
            self.uow.emit(status_event(row, row.status, before, self.today), key=row.unit, subject=row.id)

    async def follow(self, row: Assignment, task: PlanTask) -> None:
        """A designated unit's assignment takes the revised task's terms (the plan never named the unit)."""
        spec = _with_terms(spec_of(row), task)
        if spec != spec_of(row):
            await self.change(row, spec, spec.due != row.due)

    def withdraw(self, row: Assignment) -> None:
        """The revised plan no longer gives the unit this task."""
        row.withdrawn, row.updated_at, row.plan_version = True, self.now, self.plan.version
        self.uow.session.add(row)
        self.uow.emit(_withdrawn(row), key=row.unit, subject=row.id)


def _with_terms(spec: AssignmentSpec, task: PlanTask) -> AssignmentSpec:
    timeframe = task.timeframe
    return replace(
        spec,
        task_title=task.title,
        output=task.output,
        timeframe_kind=timeframe.kind,
        start=timeframe.start,
        due=timeframe.due,
        recurrence=tuple(timeframe.recurrence),
    )


def _copy(copy: PlanCopy | None, plan: PlanReceived, today: date, now: datetime) -> PlanCopy:
    content = plan.model_dump(mode="json")
    if copy is None:
        return PlanCopy(
            plan_id=plan.plan_id,
            version=plan.version,
            issuer_unit=plan.issuer.unit,
            number=plan.number,
            title=plan.title,
            implements_plan_id=plan.implements_plan_id,
            content=content,
            received_at=now,
            received_on=today,
        )
    copy.version, copy.content, copy.received_at = plan.version, content, now
    copy.number, copy.title, copy.implements_plan_id = plan.number, plan.title, plan.implements_plan_id
    return copy


def unique_refs(tasks: Sequence[PlanTask]) -> list[str]:
    """Task refs as the domain makes them unique ("II.1", "II.1#2" for a repeated ref)."""
    return unique_task_refs(list(tasks))


def _timeframe_texts(tasks: Sequence[PlanTask]) -> dict[str, str | None]:
    return {ref: task.timeframe.text for ref, task in zip(unique_refs(tasks), tasks, strict=True)}


def spec_of(row: Assignment) -> AssignmentSpec:
    """The terms a stored assignment holds its unit to, in the domain's shape (for diffs)."""
    return AssignmentSpec(
        assignment_id=row.id,
        plan_id=row.plan_id,
        task_ref=row.task_ref,
        unit=row.unit,
        role="chu_tri" if row.role == "chu_tri" else "phoi_hop",
        task_title=row.task_title,
        output=row.output,
        timeframe_kind=row.timeframe_kind,
        start=row.start,
        due=row.due,
        recurrence=tuple(row.recurrence),
        source_text=row.source_text,
    )


def new_assignment(spec: AssignmentSpec, version: int, ctx: TasksContext, today: date) -> Assignment:
    """A fresh assignment row for a spec, judged as of today: the values a plan's batch writes plainly."""
    return Assignment.model_validate(_fresh(spec, version, ctx, today, ctx.now(), {}).values())


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A new assignment's row as plain values: what `Assignment` would hold, without building one."""

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
    recurrence: list[str]
    start: date | None
    due: date | None
    status: str
    source_text: str
    assigned_on: date
    now: datetime
    revision: int = 1

    def values(self) -> dict[str, object]:
        """Every column of the row (the model's Python defaults are not the table's, so all are given)."""
        return {
            "id": self.id,
            "plan_id": self.plan_id,
            "plan_version": self.plan_version,
            "task_ref": self.task_ref,
            "task_title": self.task_title,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "role": self.role,
            "output": self.output,
            "timeframe_kind": self.timeframe_kind,
            "timeframe_text": self.timeframe_text,
            "recurrence": self.recurrence,
            "start": self.start,
            "due": self.due,
            "status": self.status,
            "completed_on": None,
            "result_version": 0,
            "source_text": self.source_text,
            "designated": False,
            "revision": self.revision,
            "withdrawn": False,
            "assigned_on": self.assigned_on,
            "created_at": self.now,
            "updated_at": self.now,
        }


def _fresh(
    spec: AssignmentSpec,
    version: int,
    ctx: TasksContext,
    today: date,
    now: datetime,
    texts: dict[str, str | None],
) -> _Fresh:
    """A new assignment's row as plain values: the spec's terms, the plan's version, judged today."""
    return _Fresh(
        id=spec.assignment_id,
        plan_id=spec.plan_id,
        plan_version=version,
        task_ref=spec.task_ref,
        task_title=spec.task_title,
        unit=spec.unit,
        unit_name=ctx.directory.name_of(spec.unit),
        role=spec.role,
        output=spec.output,
        timeframe_kind=spec.timeframe_kind,
        timeframe_text=texts.get(spec.task_ref),
        recurrence=list(spec.recurrence),
        start=spec.start,
        due=spec.due,
        status=judge(spec.due, spec.start, None, today).code,
        source_text=spec.source_text,
        assigned_on=today,
        now=now,
    )


def _apply_terms(row: Assignment, spec: AssignmentSpec, version: int, today: date, now: datetime) -> None:
    row.task_title, row.output, row.timeframe_kind = spec.task_title, spec.output, spec.timeframe_kind
    row.start, row.due, row.recurrence = spec.start, spec.due, list(spec.recurrence)
    row.source_text, row.plan_version, row.updated_at = spec.source_text, version, now
    row.status = judge(row.due, row.start, row.completed_on, today).code


async def _forget_reminders(uow: UnitOfWork, assignment_id: str) -> None:
    await uow.session.execute(
        delete(FiredReminder).where(
            or_(
                col(FiredReminder.key).startswith(f"deadline.near:{assignment_id}:"),
                col(FiredReminder.key) == f"overdue:{assignment_id}",
            )
        )
    )


async def _store_markers(
    uow: UnitOfWork, markers: Sequence[Marker], issuer: str | None, now: datetime
) -> None:
    for marker in markers:
        if await uow.session.get(AwaitingDesignation, marker.marker_id) is not None:
            continue
        uow.session.add(
            AwaitingDesignation(
                marker_id=marker.marker_id,
                plan_id=marker.plan_id,
                task_ref=marker.task_ref,
                task_title=marker.task_title,
                role=marker.role,
                text=marker.text,
                reason=marker.reason,
                issuer_unit=issuer,
                created_at=now,
            )
        )


class AssignedTerms(Protocol):
    """What `task.assigned` says of an assignment: a stored `Assignment` or a fresh row's values."""

    @property
    def id(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def plan_id(self) -> str: ...
    @property
    def plan_version(self) -> int: ...
    @property
    def task_ref(self) -> str: ...
    @property
    def task_title(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def unit_name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def output(self) -> str | None: ...
    @property
    def timeframe_text(self) -> str | None: ...
    @property
    def timeframe_kind(self) -> str: ...
    @property
    def start(self) -> date | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def recurrence(self) -> list[str]: ...


def assigned_event(row: AssignedTerms, plan: PlanCopy) -> TaskAssigned:
    """The `task.assigned` announcing a row (revision > 1 when its terms changed)."""
    return TaskAssigned(
        assignment_id=row.id,
        revision=row.revision,
        plan_id=row.plan_id,
        plan_version=row.plan_version,
        plan_number=plan.number,
        plan_title=plan.title,
        task_ref=row.task_ref,
        task_title=row.task_title,
        unit=row.unit,
        unit_name=row.unit_name,
        role="chu_tri" if row.role == "chu_tri" else "phoi_hop",
        output=row.output,
        timeframe=Timeframe(
            text=row.timeframe_text,
            kind=cast(TimeframeKind, row.timeframe_kind),
            start=row.start,
            due=row.due,
            recurrence=cast(list[Recurrence], row.recurrence),
        ),
    )


def _withdrawn(row: Assignment) -> TaskWithdrawn:
    return TaskWithdrawn(
        assignment_id=row.id, plan_id=row.plan_id, plan_version=row.plan_version, unit=row.unit
    )

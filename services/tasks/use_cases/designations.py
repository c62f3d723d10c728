"""A person of the issuing unit designates the units a task left open ("các cơ quan, đơn vị có liên quan")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from dondoc.kernel.roles import as_role
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid, MayNotAddress, NotAwaitingDesignation, PlanNotIssued
from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.domain.assignments import AssignmentSpec, assignment_id
from services.tasks.http.schemas import DesignationIn
from services.tasks.models import Assignment, AwaitingDesignation, PlanCopy
from services.tasks.use_cases.planning import assigned_event, new_assignment, unique_refs
from services.tasks.use_cases.results import catch_up
from shared.events import PlanTask


def _task(copy: PlanCopy, ref: str) -> PlanTask | None:
    raw = copy.content.get("tasks", [])
    tasks = [PlanTask.model_validate(t) for t in raw] if isinstance(raw, list) else []
    return dict(zip(unique_refs(tasks), tasks, strict=True)).get(ref)


@dataclass(frozen=True)
class Designated:
    """The assignments a designation created (none when every unit already had its own)."""

    plan_id: str
    task_ref: str
    role: str
    created: list[str]


async def designate(
    uow: UnitOfWork, principal: Principal, ctx: TasksContext, plan_id: str, ref: str, body: DesignationIn
) -> Designated:
    """Create the designated units' assignments (once each) and close the task's waiting markers."""
    session = uow.session
    copy = await session.get(PlanCopy, plan_id)
    if copy is None or not principal.may_act_for(copy.issuer_unit):
        raise PlanNotIssued()
    task = _task(copy, ref)
    query = select(AwaitingDesignation).where(
        col(AwaitingDesignation.plan_id) == plan_id,
        col(AwaitingDesignation.task_ref) == ref,
        col(AwaitingDesignation.role) == body.role,
    )
    markers = (await session.exec(query)).all()
    if task is None or not markers:
        raise NotAwaitingDesignation()
    unknown = [u for u in body.units if not ctx.directory.knows(u)]
    if unknown:
        raise Invalid(f"Không có đơn vị nào mang mã: {', '.join(unknown)}.")
    issuer = copy.issuer_unit or ""
    refused = ctx.directory.not_addressable(issuer, body.units, ctx.settings.plan_addressing)
    if refused:
        # The rule intake applies to a plan's own units (ADR 0031) holds for the units designated later too.
        shown = "; ".join(f"{ctx.directory.name_of(u)} ({u})" for u in refused)
        raise MayNotAddress(ctx.directory.name_of(issuer), shown, MayNotAddress.CHOOSE)
    today, now = ctx.today(), ctx.now()
    created: list[str] = []
    for unit in dict.fromkeys(body.units):
        spec = _spec(plan_id, ref, task, unit, body.role)
        if await session.get(Assignment, spec.assignment_id) is not None:
            continue
        row = new_assignment(spec, copy.version, ctx, today)
        row.designated, row.timeframe_text = True, task.timeframe.text
        session.add(row)
        uow.emit(assigned_event(row, copy), key=unit, subject=row.id)
        await catch_up(uow, row, ctx)
        created.append(row.id)
    for marker in markers:
        if marker.resolved_at is None:
            marker.resolved_at, marker.resolved_by = now, principal.unit or principal.key_id
            session.add(marker)
    return Designated(plan_id, ref, body.role, created)


def _spec(plan_id: str, ref: str, task: PlanTask, unit: str, role: str) -> AssignmentSpec:
    chosen = as_role(role)
    return AssignmentSpec(
        assignment_id=assignment_id(plan_id, ref, unit, chosen),
        plan_id=plan_id,
        task_ref=ref,
        unit=unit,
        role=chosen,
        task_title=task.title,
        output=task.output,
        timeframe_kind=task.timeframe.kind,
        start=task.timeframe.start,
        due=task.timeframe.due,
        recurrence=tuple(task.timeframe.recurrence),
        source_text="(chỉ định)",
    )

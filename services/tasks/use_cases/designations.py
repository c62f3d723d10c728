"""A person of the issuing unit designates the units a task left open ("các cơ quan, đơn vị có liên quan")."""

from __future__ import annotations

from sqlmodel import col, select

from dondoc.kernel.roles import as_role
from dondoc.platform.auth import Principal
from dondoc.platform.idempotency import Answer
from dondoc.platform.uow import UnitOfWork
from dondoc.platform.writes import Refused
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


async def designate(
    uow: UnitOfWork, principal: Principal, ctx: TasksContext, plan_id: str, ref: str, body: DesignationIn
) -> Answer:
    """Create the designated units' assignments (once each) and close the task's waiting markers."""
    session = uow.session
    copy = await session.get(PlanCopy, plan_id)
    if copy is None or not (
        principal.is_admin or (copy.issuer_unit and principal.may_act_for(copy.issuer_unit))
    ):
        raise Refused(404, "Không tìm thấy kế hoạch, hoặc khóa này không thuộc đơn vị ban hành kế hoạch.")
    task = _task(copy, ref)
    query = select(AwaitingDesignation).where(
        col(AwaitingDesignation.plan_id) == plan_id,
        col(AwaitingDesignation.task_ref) == ref,
        col(AwaitingDesignation.role) == body.role,
    )
    markers = (await session.exec(query)).all()
    if task is None or not markers:
        raise Refused(409, "Nhiệm vụ này không chờ chỉ định đơn vị với vai trò đã chọn.")
    unknown = [u for u in body.units if not ctx.directory.knows(u)]
    if unknown:
        raise Refused(422, f"Không có đơn vị nào mang mã: {', '.join(unknown)}.")
    issuer = copy.issuer_unit or ""
    refused = ctx.directory.not_addressable(issuer, body.units, ctx.settings.plan_addressing)
    if refused:
        # The rule intake applies to a plan's own units (ADR 0031) holds for the units designated later too.
        shown = "; ".join(f"{ctx.directory.name_of(u)} ({u})" for u in refused)
        raise Refused(
            403,
            f"Kế hoạch của {ctx.directory.name_of(issuer)} không được giao nhiệm vụ cho: {shown}. "
            "Một đơn vị chỉ giao nhiệm vụ cho chính mình và các đơn vị trực thuộc; hãy chọn đơn vị khác.",
        )
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
    answer: dict[str, object] = {"plan_id": plan_id, "task_ref": ref, "role": body.role, "created": created}
    return 201, answer, f"{plan_id}/{ref}"


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

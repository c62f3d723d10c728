"""Use cases of the tasks service."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlmodel import col, select

from dondoc.platform.uow import UnitOfWork
from services.tasks.models import Assignment, PendingDesignation, PlanCopy
from services.tasks.units import UnitDirectory
from shared.envelope import Envelope
from shared.events import PlanReceived, PlanTask, Role, TaskAssigned, UnitRef

_NAMESPACE = uuid.UUID("5f0c4a57-6b8e-4e43-9a51-646f6e646f63")
INITIAL_STATUS = "chua_den_han"


def assignment_id(plan_id: str, task_ref: str, unit: str, role: str) -> str:
    """Stable id: the same plan delivered twice yields the same assignments, never new ones."""
    return str(uuid.uuid5(_NAMESPACE, f"{plan_id}|{task_ref}|{unit}|{role}"))


def _units_of(
    refs: list[UnitRef], directory: UnitDirectory, issuer: str | None
) -> tuple[list[str], list[str]]:
    units: list[str] = []
    unresolved: list[str] = []
    for ref in refs:
        if ref.unit:
            units.append(ref.unit)
        elif ref.group:
            units.extend(directory.expand(ref.group, issuer))
        else:
            unresolved.append(ref.text)
    return list(dict.fromkeys(units)), unresolved


def plan_parts(
    task: PlanTask, directory: UnitDirectory, issuer: str | None
) -> tuple[dict[str, Role], list[tuple[Role, str]]]:
    """unit → role for one task (lead wins over coordinating), and the texts that name nobody."""
    roles: dict[str, Role] = {}
    pending: list[tuple[Role, str]] = []
    for role, refs in (("chu_tri", task.lead), ("phoi_hop", task.coordinating)):
        units, unresolved = _units_of(refs, directory, issuer)
        for unit in units:
            roles.setdefault(unit, role)  # type: ignore[arg-type]
        pending.extend((role, text) for text in unresolved)  # type: ignore[misc]
    return roles, pending


async def on_plan_received(uow: UnitOfWork, envelope: Envelope, directory: UnitDirectory) -> None:
    """Create one assignment per task × unit × role and announce each with `task.assigned`."""
    plan = envelope.payload(PlanReceived)
    session = uow.session
    copy = await session.get(PlanCopy, plan.plan_id)
    if copy is not None and copy.version >= plan.version:
        return  # the same (or an older) version again: nothing to do
    now = datetime.now(UTC)
    issuer = plan.issuer.unit
    if copy is None:
        copy = PlanCopy(
            plan_id=plan.plan_id,
            version=plan.version,
            issuer_unit=issuer,
            number=plan.number,
            title=plan.title,
            implements_plan_id=plan.implements_plan_id,
            content=plan.model_dump(mode="json"),
            received_at=now,
        )
    copy.version, copy.content, copy.received_at = plan.version, plan.model_dump(mode="json"), now
    session.add(copy)
    existing = {
        a.id: a
        for a in (await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan.plan_id))).all()
    }
    for task in plan.tasks:
        roles, pending = plan_parts(task, directory, issuer)
        for role, text in pending:
            session.add(
                PendingDesignation(
                    plan_id=plan.plan_id, task_ref=task.ref, role=role, text=text, issuer_unit=issuer
                )
            )
        for unit, role in roles.items():
            aid = assignment_id(plan.plan_id, task.ref, unit, role)
            if aid in existing:
                continue
            assignment = Assignment(
                id=aid,
                plan_id=plan.plan_id,
                plan_version=plan.version,
                task_ref=task.ref,
                task_title=task.title,
                unit=unit,
                unit_name=directory.name_of(unit),
                role=role,
                output=task.output,
                timeframe_kind=task.timeframe.kind,
                timeframe_text=task.timeframe.text,
                start=task.timeframe.start,
                due=task.timeframe.due,
                status=INITIAL_STATUS,
                created_at=now,
                updated_at=now,
            )
            session.add(assignment)
            uow.emit(_assigned(assignment, plan, task), key=unit, subject=aid)


def _assigned(a: Assignment, plan: PlanReceived, task: PlanTask) -> TaskAssigned:
    return TaskAssigned(
        assignment_id=a.id,
        revision=a.revision,
        plan_id=plan.plan_id,
        plan_version=plan.version,
        plan_number=plan.number,
        plan_title=plan.title,
        task_ref=task.ref,
        task_title=task.title,
        unit=a.unit,
        unit_name=a.unit_name,
        role=a.role,
        output=task.output,
        timeframe=task.timeframe,
    )


def today() -> date:
    return datetime.now(UTC).date()

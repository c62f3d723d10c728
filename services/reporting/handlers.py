"""Reporting's projections: each event updates the read model."""

from __future__ import annotations

from datetime import UTC, datetime

from dondoc.platform.uow import UnitOfWork
from services.reporting.models import AssignmentView, PlanView
from shared.envelope import Envelope
from shared.events import PlanReceived, TaskAssigned


async def on_plan_received(uow: UnitOfWork, envelope: Envelope) -> None:
    plan = envelope.payload(PlanReceived)
    view = await uow.session.get(PlanView, plan.plan_id)
    if view is not None and view.version >= plan.version:
        return
    uow.session.add(
        PlanView(
            plan_id=plan.plan_id,
            version=plan.version,
            number=plan.number,
            title=plan.title,
            issuer_unit=plan.issuer.unit,
            issued_on=plan.issued_on,
            implements_plan_id=plan.implements_plan_id,
            content=plan.model_dump(mode="json"),
        )
    )
    if view is not None:
        await uow.session.merge(view)


async def on_task_assigned(uow: UnitOfWork, envelope: Envelope) -> None:
    event = envelope.payload(TaskAssigned)
    view = await uow.session.get(AssignmentView, event.assignment_id) or AssignmentView(
        assignment_id=event.assignment_id,
        plan_id=event.plan_id,
        task_ref=event.task_ref,
        task_title=event.task_title,
        unit=event.unit,
        unit_name=event.unit_name,
        role=event.role,
        status="chua_den_han",
        updated_at=datetime.now(UTC),
    )
    view.due = event.timeframe.due
    view.task_title = event.task_title
    view.updated_at = datetime.now(UTC)
    uow.session.add(view)

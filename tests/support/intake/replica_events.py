"""Tasks' events as tasks would publish them, for feeding intake's replica in tests."""

from __future__ import annotations

from datetime import date

from dondoc.kernel.roles import Role
from shared.envelope import wrap
from shared.events import Event, ReportExpected, TaskAssigned, Timeframe
from tests.support import publish_raw

PLAN_ID = "plan-replica-1"


def assigned(
    assignment_id: str,
    unit: str,
    *,
    task_ref: str = "II.1",
    role: Role = "chu_tri",
    revision: int = 1,
    plan_version: int = 1,
    due: date | None = date(2026, 12, 31),
    plan_id: str = PLAN_ID,
) -> TaskAssigned:
    return TaskAssigned(
        assignment_id=assignment_id,
        revision=revision,
        plan_id=plan_id,
        plan_version=plan_version,
        plan_number="15/KH-UBND",
        plan_title="Kế hoạch triển khai Nghị quyết số 206/2025/QH15",
        task_ref=task_ref,
        task_title=f"Nhiệm vụ {task_ref} (lần {revision})",
        unit=unit,
        unit_name=f"Đơn vị {unit}",
        role=role,
        output="Báo cáo",
        timeframe=Timeframe(kind="deadline", due=due),
    )


def expected(unit: str, period_id: str, deadline: date, plan_id: str = PLAN_ID) -> ReportExpected:
    return ReportExpected(
        obligation_id=f"obl-{plan_id}",
        unit=unit,
        period_id=period_id,
        window_start=date(2025, 12, 15),
        window_end=date(2026, 6, 14),
        deadline=deadline,
        plan_id=plan_id,
    )


async def publish(bootstrap: str, *events: Event) -> None:
    """Publish in the order given, each keyed as tasks keys it (by unit)."""
    for event in events:
        unit = str(getattr(event, "unit", ""))
        envelope = wrap(event, source="tasks", correlation_id="replica-test")
        await publish_raw(bootstrap, event.topic, envelope.to_bytes(), key=unit.encode())

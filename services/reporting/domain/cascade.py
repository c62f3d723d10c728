"""The plan cascade: for each city task, which wards issued their own plan implementing it."""

from __future__ import annotations

from collections import defaultdict

from services.reporting.domain.inputs import Assignment, CascadeLink, Task, Unit
from services.reporting.domain.submission import CascadeRow, WardPlan
from services.reporting.domain.units import WARD_KINDS, find_unit, unit_sort_key


def cascade_rows(
    tasks: list[Task],
    assignments: tuple[Assignment, ...],
    links: tuple[CascadeLink, ...],
    units: dict[str, Unit],
) -> tuple[CascadeRow, ...]:
    """One row per city task that concerns wards; wards assigned but without a plan are pending."""
    assigned: dict[str, set[str]] = defaultdict(set)
    for assignment in assignments:
        if find_unit(units, assignment.unit_code).kind in WARD_KINDS:
            assigned[assignment.task_id].add(assignment.unit_code)
    issued: dict[str, dict[str, str]] = defaultdict(dict)
    for link in sorted(links, key=lambda link: link.ward_plan_number):
        issued[link.city_task_id].setdefault(link.ward_unit_code, link.ward_plan_number)
    rows = []
    for task in tasks:
        plans = issued.get(task.id, {})
        if not plans and not assigned.get(task.id):
            continue
        ward_plans = sorted(
            (WardPlan(code, find_unit(units, code).name, number) for code, number in plans.items()),
            key=lambda plan: unit_sort_key(find_unit(units, plan.unit_code)),
        )
        pending = sorted(
            (find_unit(units, code) for code in assigned.get(task.id, set()) - plans.keys()),
            key=unit_sort_key,
        )
        rows.append(
            CascadeRow(
                task.id,
                task.ref,
                task.title,
                tuple(ward_plans),
                tuple(u.name for u in pending),
                tuple(u.code for u in pending),
            )
        )
    return tuple(rows)

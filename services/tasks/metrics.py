"""Domain metrics of the tasks service: assignments by status, overdue assignments by kind of unit."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func
from sqlmodel import col, select

from dondoc.kernel.status import TaskStatus
from dondoc.platform.db import reading
from dondoc.platform.runtime import Runtime
from services.tasks.domain.units import UnitDirectory

_OVERDUE = TaskStatus.OVERDUE.code


def unit_kind(directory: UnitDirectory, unit: str) -> str:
    """Coarse kind for labels: city, department (any city body), commune, commune_office, unknown."""
    kind = directory.kind_of(unit)
    if kind in ("phuong", "xa", "dac_khu"):
        return "commune"
    if kind in ("commune_office", "commune_coordinating_body"):
        return "commune_office"
    if kind in ("city", "unknown"):
        return kind
    return "department"


class DomainMetrics:
    """Gauges on the app's own registry, refreshed after each tick."""

    def __init__(self, registry: CollectorRegistry, directory: UnitDirectory) -> None:
        self._directory = directory
        self.assignments = Gauge(
            "dondoc_assignments", "Assignments in force, by status", ["status"], registry=registry
        )
        self.overdue = Gauge(
            "dondoc_overdue_assignments",
            "Assignments overdue and not done, by kind of unit",
            ["unit_kind"],
            registry=registry,
        )
        for status in TaskStatus:
            self.assignments.labels(status.code)
        for kind in ("city", "department", "commune", "commune_office", "unknown"):
            self.overdue.labels(kind)

    async def refresh(self, runtime: Runtime) -> None:
        """Recount from the store (cheap grouped counts)."""
        from services.tasks.models import Assignment

        live = col(Assignment.withdrawn).is_(False)
        by_status = select(Assignment.status, func.count()).where(live).group_by(col(Assignment.status))
        overdue = (
            select(Assignment.unit, func.count())
            .where(live, col(Assignment.status) == _OVERDUE)
            .group_by(col(Assignment.unit))
        )
        async with reading(runtime.engine) as conn:
            statuses = {str(s): int(n) for s, n in (await conn.execute(by_status)).all()}
            per_unit = [(str(u), int(n)) for u, n in (await conn.execute(overdue)).all()]
        for status in TaskStatus:
            self.assignments.labels(status.code).set(statuses.get(status.code, 0))
        kinds: dict[str, int] = {}
        for unit, count in per_unit:
            kind = unit_kind(self._directory, unit)
            kinds[kind] = kinds.get(kind, 0) + count
        for kind in ("city", "department", "commune", "commune_office", "unknown"):
            self.overdue.labels(kind).set(kinds.get(kind, 0))

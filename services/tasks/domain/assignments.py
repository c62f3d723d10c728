"""Turn a confirmed plan into assignments: one per task × unit × role (chủ trì / phối hợp)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal, Protocol

from dondoc.kernel.refs import unique_refs
from dondoc.kernel.roles import Role

AwaitingReason = Literal["no_lead", "unresolved", "needs_designation", "empty_group"]

# Fixed forever: changing it would re-key every assignment ever created (uuid5 of a URN).
ASSIGNMENT_NAMESPACE: Final = uuid.UUID("c76d9185-9492-535b-b88e-35507147e81f")

Expand = Callable[[str, str | None], Sequence[str]]
"""expand(group_code, context_unit) → unit codes; context is the issuing unit ("its offices")."""


class UnitRefLike(Protocol):
    """A unit as the plan names it: `shared.events.UnitRef` fits."""

    @property
    def text(self) -> str: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def group(self) -> str | None: ...


class TimeframeLike(Protocol):
    """A task's timeframe: `shared.events.Timeframe` fits."""

    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> date | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def recurrence(self) -> Sequence[str]: ...


class TaskLike(Protocol):
    """A task of a plan: `shared.events.PlanTask` fits."""

    @property
    def ref(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def output(self) -> str | None: ...
    @property
    def lead(self) -> Sequence[UnitRefLike]: ...
    @property
    def coordinating(self) -> Sequence[UnitRefLike]: ...
    @property
    def timeframe(self) -> TimeframeLike: ...


class PlanLike(Protocol):
    """A confirmed plan: `shared.events.PlanReceived` fits."""

    @property
    def plan_id(self) -> str: ...
    @property
    def issuer(self) -> UnitRefLike: ...
    @property
    def tasks(self) -> Sequence[TaskLike]: ...


@dataclass(frozen=True)
class AssignmentSpec:
    """What one unit must do on one task in one role; `source_text` is how the plan named the unit."""

    assignment_id: str
    plan_id: str
    task_ref: str
    unit: str
    role: Role
    task_title: str
    output: str | None
    timeframe_kind: str
    start: date | None
    due: date | None
    recurrence: tuple[str, ...]
    source_text: str = field(compare=False)

    @property
    def key(self) -> tuple[str, str, Role]:
        """Identity within a plan across its versions: task × unit × role."""
        return (self.task_ref, self.unit, self.role)


@dataclass(frozen=True)
class AwaitingDesignation:
    """A unit the plan leaves to a person to choose ("các cơ quan, đơn vị có liên quan"): ask, never guess."""

    marker_id: str
    plan_id: str
    task_ref: str
    task_title: str
    role: Role
    text: str
    reason: AwaitingReason


@dataclass(frozen=True)
class PlannedAssignments:
    """The assignments a plan creates, and the places where a person must designate the unit."""

    specs: list[AssignmentSpec]
    awaiting: list[AwaitingDesignation]


def assignment_id(plan_id: str, task_ref: str, unit: str, role: Role) -> str:
    """Deterministic id, so a redelivered or re-read plan creates nothing twice."""
    return str(uuid.uuid5(ASSIGNMENT_NAMESPACE, "\x1f".join(("assignment", plan_id, task_ref, unit, role))))


def plan_assignments(plan: PlanLike, expand: Expand) -> PlannedAssignments:
    """One spec per task × unit × role, groups expanded; a unit both leading and coordinating leads."""
    specs: list[AssignmentSpec] = []
    awaiting: list[AwaitingDesignation] = []
    for task_ref, task in zip(unique_refs(t.ref for t in plan.tasks), plan.tasks, strict=True):
        lead_units = _resolve(plan, task, task_ref, "chu_tri", task.lead, expand, awaiting)
        if not task.lead:
            awaiting.append(_marker(plan.plan_id, task_ref, task, "chu_tri", "", "no_lead"))
        coordinating = _resolve(plan, task, task_ref, "phoi_hop", task.coordinating, expand, awaiting)
        for unit, text in lead_units.items():
            specs.append(_spec(plan.plan_id, task_ref, task, unit, "chu_tri", text))
        for unit, text in coordinating.items():
            if unit not in lead_units:
                specs.append(_spec(plan.plan_id, task_ref, task, unit, "phoi_hop", text))
    return PlannedAssignments(specs=specs, awaiting=awaiting)


def _resolve(
    plan: PlanLike,
    task: TaskLike,
    task_ref: str,
    role: Role,
    refs: Sequence[UnitRefLike],
    expand: Expand,
    awaiting: list[AwaitingDesignation],
) -> dict[str, str]:
    """Unit code → the text that named it, first mention wins; unresolved refs become markers."""
    units: dict[str, str] = {}
    for ref in refs:
        reason = _awaiting_reason(ref)
        if reason is None and ref.unit is not None:
            units.setdefault(ref.unit, ref.text)
            continue
        if reason is None and ref.group is not None:
            members = expand(ref.group, plan.issuer.unit)
            for member in members:
                units.setdefault(member, ref.text)
            if members:
                continue
            reason = "empty_group"
        awaiting.append(_marker(plan.plan_id, task_ref, task, role, ref.text, reason or "unresolved"))
    return units


def _awaiting_reason(ref: UnitRefLike) -> AwaitingReason | None:
    # The directory may flag a text that names nobody in particular; UnitRef has no such field yet.
    if getattr(ref, "needs_designation", False):
        return "needs_designation"
    if ref.unit is None and ref.group is None:
        return "unresolved"
    return None


def _spec(plan_id: str, task_ref: str, task: TaskLike, unit: str, role: Role, text: str) -> AssignmentSpec:
    timeframe = task.timeframe
    return AssignmentSpec(
        assignment_id=assignment_id(plan_id, task_ref, unit, role),
        plan_id=plan_id,
        task_ref=task_ref,
        unit=unit,
        role=role,
        task_title=task.title,
        output=task.output,
        timeframe_kind=timeframe.kind,
        start=timeframe.start,
        due=timeframe.due,
        recurrence=tuple(timeframe.recurrence),
        source_text=text,
    )


def _marker(
    plan_id: str, task_ref: str, task: TaskLike, role: Role, text: str, reason: AwaitingReason
) -> AwaitingDesignation:
    name = "\x1f".join(("awaiting", plan_id, task_ref, role, text))
    marker_id = str(uuid.uuid5(ASSIGNMENT_NAMESPACE, name))
    return AwaitingDesignation(marker_id, plan_id, task_ref, task.title, role, text, reason)


@dataclass(frozen=True)
class SpecChange:
    """An assignment kept by a revised plan with different terms; `fields` names what changed."""

    old: AssignmentSpec
    new: AssignmentSpec
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PlanDiff:
    """How a revised plan's assignments differ from the previous version's."""

    added: list[AssignmentSpec]
    changed: list[SpecChange]
    withdrawn: list[AssignmentSpec]
    unchanged: list[AssignmentSpec]


# The terms a unit is held to; how the plan worded the unit (source_text) is not one of them.
_TERMS: Final = ("task_title", "output", "timeframe_kind", "start", "due", "recurrence")


def diff_plan_versions(old_specs: Sequence[AssignmentSpec], new_specs: Sequence[AssignmentSpec]) -> PlanDiff:
    """Compare two versions' specs by task × unit × role: added, changed terms, withdrawn, unchanged."""
    old_by_key = {spec.key: spec for spec in old_specs}
    new_keys = {spec.key for spec in new_specs}
    added: list[AssignmentSpec] = []
    changed: list[SpecChange] = []
    unchanged: list[AssignmentSpec] = []
    for new in new_specs:
        old = old_by_key.get(new.key)
        if old is None:
            added.append(new)
            continue
        differing = tuple(name for name in _TERMS if getattr(old, name) != getattr(new, name))
        if differing:
            changed.append(SpecChange(old=old, new=new, fields=differing))
        else:
            unchanged.append(new)
    withdrawn = [spec for spec in old_specs if spec.key not in new_keys]
    return PlanDiff(added=added, changed=changed, withdrawn=withdrawn, unchanged=unchanged)

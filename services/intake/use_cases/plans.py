"""Plan use cases: submit (JSON or document), edit a draft, confirm (emits `plan.received`), revise."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dondoc.directory import Directory
from dondoc.directory.addressing import Relation, not_addressable
from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.audit import record_accepted
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import (
    AlreadyConfirmed,
    Invalid,
    MayNotAddress,
    NotIssuer,
    NotYourUnit,
    PlanNotFound,
)
from dondoc.platform.uow import UnitOfWork
from services.intake.domain import plan_flags
from services.intake.http.schemas import PlanIn, UnitIn
from services.intake.models import PlanRecord, PlanVersion
from services.intake.use_cases.admissible import plan_problems
from services.intake.use_cases.resolution import UnresolvedUnits, open_questions, resolve_draft, resolve_plan
from shared.events import PlanReceived, PlanTask, ReportingObligation, UnitRef


def _now() -> datetime:
    return SYSTEM_CLOCK.now()


def _ref(unit: UnitIn) -> dict[str, object]:
    return unit.model_dump(mode="json", exclude={"to_designate"})


def plan_event(plan: PlanIn, plan_id: str, version: int, issuer_name: str) -> PlanReceived:
    """The plan as `plan.received` carries it."""
    tasks = [
        PlanTask.model_validate(
            t.model_dump(mode="json", exclude={"lead", "coordinating"}, exclude_none=True)
            | {"lead": [_ref(u) for u in t.lead], "coordinating": [_ref(u) for u in t.coordinating]}
        )
        for t in plan.tasks
    ]
    reporting = [
        ReportingObligation.model_validate(
            r.model_dump(mode="json", exclude={"reporter", "recipient"}, exclude_none=True)
            | {
                "reporter": [_ref(u) for u in r.reporter],
                "recipient": _ref(r.recipient) if r.recipient else None,
            }
        )
        for r in plan.reporting
    ]
    return PlanReceived(
        plan_id=plan_id,
        version=version,
        number=plan.number,
        title=plan.title,
        issued_on=plan.issued_on,
        issuer=UnitRef(text=issuer_name, unit=plan.issuer),
        implements=plan.implements,
        implements_plan_id=plan.implements_plan_id,
        tasks=tasks,
        reporting=reporting,
    )


def resolved(directory: Directory, plan: PlanIn, rule: Sequence[Relation] = ()) -> PlanIn:
    """The plan with its units resolved, or a 422 refusal listing each unknown unit and its candidates."""
    admissible(plan)
    try:
        plan = resolve_plan(directory, plan)
    except UnresolvedUnits as exc:
        detail = [p.to_dict() | {"type": "unknown_unit"} for p in exc.problems]
        raise Invalid(str(exc), detail) from None
    addressed(directory, plan, rule)
    return plan


def addressed(directory: Directory, plan: PlanIn, rule: Sequence[Relation]) -> None:
    """A 403 naming each unit the issuer may not give a task to (dondoc.directory.addressing, ADR 0031)."""
    named: list[str] = []
    for task in plan.tasks:
        for unit in (*task.lead, *task.coordinating):
            if unit.unit is not None:
                named.append(unit.unit)
            elif unit.group is not None:
                named.extend(directory.expand(unit.group, plan.issuer))
    refused = not_addressable(directory, plan.issuer, named, rule)
    if refused:
        shown = "; ".join(f"{directory.unit(code).name} ({code})" for code in refused[:10])
        more = f" và {len(refused) - 10} đơn vị khác" if len(refused) > 10 else ""
        raise MayNotAddress(directory.unit(plan.issuer).name, shown + more, MayNotAddress.DROP)


def drafted(directory: Directory, plan: PlanIn, rule: Sequence[Relation] = ()) -> tuple[PlanIn, list[str]]:
    """A draft as it will be kept: units resolved where they can be, and what still stops confirming it."""
    admissible(plan)
    try:
        plan, problems = resolve_draft(directory, plan)
    except UnresolvedUnits as exc:  # the issuer itself: a draft needs a unit to belong to
        detail = [p.to_dict() | {"type": "unknown_unit"} for p in exc.problems]
        raise Invalid(str(exc), detail) from None
    addressed(directory, plan, rule)
    return plan, [p.message for p in problems] + open_questions(directory, plan)


def admissible(plan: PlanIn) -> None:
    """Refuse a plan that could never be followed: repeated task refs, a start after its due date, year 1."""
    if problems := plan_problems(plan):
        raise Invalid(" ".join(p["message"] for p in problems), problems)


@dataclass(frozen=True)
class PlanState:
    """A plan as a write left it; `open_questions` (a draft's) is what still stops confirming it."""

    id: str
    status: str
    version: int
    open_questions: list[str] | None = None


def _state(record: PlanRecord, questions: list[str] | None = None) -> PlanState:
    return PlanState(record.id, record.status, record.version, questions)


def new_record(
    plan: PlanIn,
    principal: Principal,
    document_id: str | None = None,
    draft: dict[str, object] | None = None,
) -> PlanRecord:
    """A draft plan row holding the (resolved) plan as its sender can edit it."""
    now = _now()
    return PlanRecord(
        id=str(uuid.uuid4()),
        issuer_unit=plan.issuer,
        status="draft",
        number=plan.number,
        title=plan.title,
        issued_on=plan.issued_on,
        implements_plan_id=plan.implements_plan_id,
        content=plan.model_dump(mode="json"),
        created_by=principal.key_id,
        created_at=now,
        updated_at=now,
        document_id=document_id,
        draft=draft,
    )


async def submit_plan(
    uow: UnitOfWork,
    principal: Principal,
    directory: Directory,
    plan: PlanIn,
    rule: Sequence[Relation] = (),
) -> PlanState:
    """Store a structured plan; unless it is a draft, confirm it at once (it is the issuer's own data)."""
    if not principal.may_act_for(plan.issuer):
        raise NotYourUnit(NotYourUnit.SEND_PLAN)
    if plan.draft:
        plan, questions = drafted(directory, plan, rule)
        record = new_record(plan, principal)
        uow.session.add(record)
        return _state(record, questions)
    record = new_record(resolved(directory, plan, rule), principal)
    uow.session.add(record)
    await _confirm(uow, principal, directory, record, rule)
    return _state(record)


async def _owned(uow: UnitOfWork, principal: Principal, plan_id: str) -> PlanRecord:
    record = await uow.session.get(PlanRecord, plan_id)
    if record is None:
        raise PlanNotFound()
    if not principal.may_act_for(record.issuer_unit):
        raise NotIssuer()
    return record


async def update_plan(
    uow: UnitOfWork,
    principal: Principal,
    directory: Directory,
    plan_id: str,
    plan: PlanIn,
    rule: Sequence[Relation] = (),
) -> PlanState:
    """Replace a draft's content (or start a revision of a confirmed plan); confirm emits it."""
    record = await _owned(uow, principal, plan_id)
    if plan.issuer != record.issuer_unit:
        raise Invalid("Không được đổi đơn vị ban hành của kế hoạch; hãy gửi kế hoạch mới.")
    plan, questions = drafted(directory, plan, rule)
    content = plan.model_dump(mode="json")
    # A flag the person's change answered goes; the others stay open until checked or changed.
    record.draft = plan_flags.without_stale(record.draft, record.content, content)
    record.content = content
    record.number, record.title, record.issued_on = plan.number, plan.title, plan.issued_on
    record.implements_plan_id = plan.implements_plan_id
    record.status = "draft"
    record.updated_at = _now()
    uow.session.add(record)
    return _state(record, questions)


async def confirm_plan(
    uow: UnitOfWork,
    principal: Principal,
    directory: Directory,
    plan_id: str,
    rule: Sequence[Relation] = (),
    checked: Sequence[str] = (),
) -> PlanState:
    """An authorised person of the issuing unit confirms a draft (or a revision): `plan.received` leaves.

    A review flag the parser left open stops it unless the person marks that task as checked (`checked`:
    task refs); each check is audited in the same transaction, naming the person, the task and its fields.
    """
    record = await _owned(uow, principal, plan_id)
    if record.status == "confirmed":
        raise AlreadyConfirmed()
    flags = plan_flags.open_flags(record.draft, record.content)
    if left := plan_flags.unchecked(flags, checked):
        detail = [
            {"field": f"tasks.{f['ref']}", "ref": f["ref"], "message": plan_flags.describe(f)}
            | {"type": "review_flag"}
            for f in left
        ]
        words = "; ".join(plan_flags.describe(f) for f in left)
        message = f"Kế hoạch chưa thể xác nhận: còn {len(left)} điểm cần kiểm tra ({words}). "
        message += "Hãy sửa hoặc đánh dấu «đã kiểm tra» từng điểm."
        # What else stops it is said in the same answer, so the person fixes everything in one pass.
        _, questions = drafted(directory, PlanIn.model_validate(record.content), rule)
        detail += [{"field": "tasks", "message": q, "type": "needs_review"} for q in questions]
        raise Invalid(" ".join([message, *questions]), detail)
    await _confirm(uow, principal, directory, record, rule)
    record.draft = plan_flags.settled(record.draft)
    for flag in flags:
        fields = ",".join(str(f) for f in plan_flags.listed(flag["fields"]))
        target = f"/plans/{record.id}/tasks/{flag['ref']}#{fields}"
        await record_accepted(uow.session, uow.tables, principal, "plan.flag.checked", target[:256])
    return _state(record)


async def _confirm(
    uow: UnitOfWork, principal: Principal, directory: Directory, record: PlanRecord, rule: Sequence[Relation]
) -> None:
    # The draft's rule, strictly: every unit known (or to be designated) and addressable, every date possible.
    plan, questions = drafted(directory, PlanIn.model_validate(record.content), rule)
    if questions:
        detail = [{"field": "tasks", "message": q, "type": "needs_review"} for q in questions]
        raise Invalid("Kế hoạch chưa thể xác nhận: " + " ".join(questions), detail)
    record.version += 1
    record.status = "confirmed"
    record.updated_at = _now()
    event = plan_event(plan, record.id, record.version, directory.unit(record.issuer_unit).name)
    uow.session.add(record)
    uow.session.add(
        PlanVersion(
            plan_id=record.id,
            version=record.version,
            content=event.model_dump(mode="json"),
            confirmed_by=principal.key_id,
            confirmed_at=record.updated_at,
        )
    )
    uow.emit(event, key=record.id, subject=record.id)

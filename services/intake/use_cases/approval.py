"""A unit's optional approval: its leader approves results and periodic reports before they count upward
(off by default; one choice of the unit covers both).

A proposal emits `approval.requested` and a decision `approval.decided`, in the same transaction, so notify
tells the unit that something waits for its leader and, on a return, why (ADR 0120)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.kernel.units import ward_of
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import AlreadyDecided, Invalid, PendingNotFound
from dondoc.platform.units import unit_or_offices
from dondoc.platform.uow import UnitOfWork
from services.intake import queries
from services.intake.models import EvidenceFile, PendingReport, PendingResult, UnitPreference
from services.intake.schemas import ReportIn, ResultIn
from services.intake.use_cases import results
from services.intake.use_cases.results import Received
from shared.events import ApprovalDecided, ApprovalRequested, Sender

Proposal = TypeVar("Proposal", PendingResult, PendingReport)


async def required(session: AsyncSession, unit: str) -> bool:
    """Whether the unit, or the ward it is an office of, chose to approve what it sends before it goes up."""
    ward = ward_of(unit)
    rows = (
        await session.exec(select(UnitPreference).where(col(UnitPreference.unit).in_({unit, ward})))
    ).all()
    return any(r.approval_required for r in rows)


@dataclass(frozen=True)
class Choice:
    """Whether a unit's results and reports wait for its leader."""

    unit: str
    approval_required: bool


@dataclass(frozen=True)
class Returned:
    """A pending result or report sent back to the officer with the leader's reason."""

    id: str
    subject: str


async def choose(uow: UnitOfWork, principal: Principal, unit: str, on: bool) -> Choice:
    """Turn the unit's approval on or off."""
    row = await uow.session.get(UnitPreference, unit) or UnitPreference(
        unit=unit, changed_by=principal.key_id, changed_at=SYSTEM_CLOCK.now()
    )
    row.approval_required = on
    row.changed_by = principal.key_id
    row.changed_at = SYSTEM_CLOCK.now()
    uow.session.add(row)
    return Choice(unit, on)


async def propose(uow: UnitOfWork, result: ResultIn, sender: Sender) -> PendingResult:
    """Keep an officer's result for the leader; the unit hears that it waits (`approval.requested`)."""
    pending = PendingResult(
        id=str(uuid.uuid4()),
        assignment_id=result.assignment_id,
        unit=result.unit,
        content=result.model_dump(mode="json"),
        sender_username=sender.username,
        sender_name=sender.name,
        submitted_at=SYSTEM_CLOCK.now(),
    )
    uow.session.add(pending)
    await _requested(uow, pending)
    return pending


async def _about(uow: UnitOfWork, pending: PendingResult | PendingReport) -> dict[str, object]:
    """What both approval events say of a proposal: what it is, whose, and who sent it."""
    if isinstance(pending, PendingResult):
        item = await queries.assignment(uow.session, pending.assignment_id)
        where: dict[str, object] = {
            "kind": "result",
            "assignment_id": pending.assignment_id,
            "plan_id": item.plan_id if item else None,
        }
    else:
        where = {"kind": "report", "plan_id": pending.plan_id, "period_id": pending.period_id}
    sender = Sender(username=pending.sender_username, name=pending.sender_name)
    return {"pending_id": pending.id, "unit": pending.unit, "submitted_by": sender, **where}


async def _requested(uow: UnitOfWork, pending: PendingResult | PendingReport) -> None:
    event = ApprovalRequested.model_validate(
        {**await _about(uow, pending), "submitted_at": pending.submitted_at}
    )
    # Keyed by the unit, as its decision is: a return never overtakes the request it answers.
    uow.emit(event, key=pending.unit, subject=pending.unit)


async def _decided(
    uow: UnitOfWork, pending: PendingResult | PendingReport, decider: Sender | None, item_id: str | None
) -> None:
    values = {
        **await _about(uow, pending),
        "decision": pending.decision,
        "note": pending.note,
        "decided_by": decider,
        "decided_at": pending.decided_at,
        "item_id": item_id,
    }
    uow.emit(ApprovalDecided.model_validate(values), key=pending.unit, subject=pending.unit)


async def waiting(session: AsyncSession, kind: type[Proposal], unit: str) -> list[Proposal]:
    """Results (`PendingResult`) or reports (`PendingReport`) waiting for the leader of `unit` (its offices
    included), oldest first."""
    query = (
        select(kind)
        .where(col(kind.decision).is_(None), unit_or_offices(col(kind.unit), unit))
        .order_by(col(kind.submitted_at))
    )
    return list((await session.exec(query)).all())


async def of_assignment(session: AsyncSession, assignment_id: str) -> list[PendingResult]:
    """Proposals on an assignment not yet sent up (waiting, or returned by the leader), newest first."""
    query = (
        select(PendingResult)
        .where(PendingResult.assignment_id == assignment_id, col(PendingResult.result_id).is_(None))
        .order_by(col(PendingResult.submitted_at).desc())
    )
    return list((await session.exec(query)).all())


def still_open(proposals: list[Proposal], last_sent: datetime | None) -> list[Proposal]:
    """Only the newest proposal still matters (newest first in `proposals`), and only if nothing was sent
    up after it."""
    newest = proposals[:1]
    return [p for p in newest if last_sent is None or as_utc(p.submitted_at) > as_utc(last_sent)]


async def waiting_count(session: AsyncSession, unit: str) -> int:
    """How many results and reports wait for the leader of `unit` (its offices included)."""
    return len(await waiting(session, PendingResult, unit)) + len(await waiting(session, PendingReport, unit))


async def propose_report(uow: UnitOfWork, report: ReportIn, sender: Sender) -> PendingReport:
    """Keep an officer's periodic report for the leader; the unit hears that it waits
    (`approval.requested`)."""
    pending = PendingReport(
        id=str(uuid.uuid4()),
        unit=report.unit,
        period_id=report.period_id,
        plan_id=report.plan_id,
        content=report.model_dump(mode="json"),
        sender_username=sender.username,
        sender_name=sender.name,
        submitted_at=SYSTEM_CLOCK.now(),
    )
    uow.session.add(pending)
    await _requested(uow, pending)
    return pending


async def of_report(
    session: AsyncSession, unit: str, period_id: str, plan_id: str | None
) -> list[PendingReport]:
    """Proposals of the unit's report for the period not yet sent up (waiting or returned), newest first."""
    query = (
        select(PendingReport)
        .where(
            PendingReport.unit == unit,
            PendingReport.period_id == period_id,
            PendingReport.plan_id == plan_id,
            col(PendingReport.report_id).is_(None),
        )
        .order_by(col(PendingReport.submitted_at).desc())
    )
    return list((await session.exec(query)).all())


async def decide(
    uow: UnitOfWork,
    leader: Principal,
    pending_id: str,
    approve: bool,
    note: str | None,
    decider: Sender | None = None,
) -> Received | Returned:
    """Approve (the result or report is sent as the officer's, through the same use case) or return it
    with a reason; either way `approval.decided` says so, naming the leader (`decider`) when a person."""
    pending: PendingResult | PendingReport | None = await uow.session.get(PendingResult, pending_id)
    if pending is None:
        pending = await uow.session.get(PendingReport, pending_id)
    if pending is None or not leader.may_act_for(pending.unit):
        raise PendingNotFound()
    if pending.decision is not None:
        raise AlreadyDecided()
    pending.decided_by = leader.key_id
    pending.decided_at = SYSTEM_CLOCK.now()
    if not approve:
        if not note:
            raise Invalid("Hãy ghi lý do trả lại để chuyên viên biết cần sửa gì.")
        pending.decision, pending.note = "returned", note
        uow.session.add(pending)
        await _decided(uow, pending, decider, None)
        subject = (
            pending.assignment_id
            if isinstance(pending, PendingResult)
            else f"{pending.unit}/{pending.period_id}"
        )
        return Returned(pending.id, subject)
    sender = Sender(username=pending.sender_username, name=pending.sender_name)
    if isinstance(pending, PendingReport):
        report = ReportIn.model_validate(pending.content)
        sent = await results.submit_report(uow, leader, report, sender)
        pending.decision, pending.report_id = "approved", sent.id
        uow.session.add(pending)
        await _decided(uow, pending, decider, sent.id)
        return sent
    sent = await results.submit_result(uow, leader, ResultIn.model_validate(pending.content), sender)
    pending.decision, pending.result_id = "approved", sent.id
    uow.session.add(pending)
    await _decided(uow, pending, decider, sent.id)
    files = (await uow.session.exec(select(EvidenceFile).where(EvidenceFile.result_id == pending.id))).all()
    for f in files:
        f.result_id = pending.result_id
        uow.session.add(f)
    return sent

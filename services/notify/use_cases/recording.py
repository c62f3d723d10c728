"""Notify's consumer use cases: record what each unit must hear, before any attempt to send it.

Recording happens in the consumer's transaction; sending is the delivery worker's job, later.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import cast

from sqlmodel import col, select

from dondoc.kernel.clock import VIETNAM
from dondoc.kernel.ids import canonical, time_prefix
from dondoc.platform.subscriptions import Received, current_event
from dondoc.platform.uow import UnitOfWork
from services.notify.context import NotifyContext
from services.notify.domain.codec import notice_to_json
from services.notify.domain.messages import render
from services.notify.domain.notices import (
    ApprovalReturnedNotice,
    ApprovalWaitingNotice,
    DeadlineNearNotice,
    Notice,
    OverdueNotice,
    PlanRef,
    ReportDueNotice,
    ReportMissedNotice,
    ReturnedNotice,
    TaskAssignedNotice,
)
from services.notify.domain.routing import Channel, channels_for
from services.notify.models import AssignmentCopy, Notification, Subscription
from services.notify.use_cases import inbox_digest
from services.notify.use_cases.subscriptions import preferences_of
from shared.events import (
    ApprovalDecided,
    ApprovalRequested,
    DeadlineNear,
    ReportDue,
    ReportMissed,
    SubmissionReviewed,
    TaskAssigned,
    TaskOverdue,
)

_NAMESPACE = uuid.UUID("8d2f0c1e-5b7a-4f4e-9c1d-6e6f74696679")
_NAMESPACE_BYTES = _NAMESPACE.bytes
_UUID5_KEEP = ~((0xF000 << 64) | (0xC000 << 48))  # clears the version and variant bits
_UUID5_SET = (5 << 76) | (0x8000 << 48)  # version 5, the RFC's variant
_LOW_76 = (1 << 76) - 1


def notification_id(source_event_id: str, unit: str, channel: Channel) -> str:
    """Stable id: the same event for the same unit and channel is one notification, however often it comes.

    When the event's id carries its time (UUIDv7, dondoc.kernel.ids) the notification's id begins with that
    time (a UUIDv8 of the same layout), so a plan's thousands of notices append to the table's key index
    instead of landing on a random page each; the other 74 bits are the name's hash, as before. Otherwise it
    is `uuid.uuid5(_NAMESPACE, name)`. Both are computed on integers, without `uuid.UUID` objects: this runs
    for every notice of every batch, and the objects cost notify more than its own rows did.
    """
    digest = hashlib.sha1(_NAMESPACE_BYTES + f"{source_event_id}|{unit}|{channel}".encode()).digest()
    hashed = (int.from_bytes(digest[:16], "big") & _UUID5_KEEP) | _UUID5_SET  # as uuid.uuid5 sets them
    prefix = time_prefix(source_event_id)
    if prefix is None:
        return canonical(hashed)
    return canonical(prefix | (0x8 << 76) | (hashed & _LOW_76))  # version 8


async def record(
    uow: UnitOfWork, ctx: NotifyContext, event_id: str, unit: str, notice: Notice, plan_id: str | None
) -> None:
    """One notification row per channel the unit hears this kind on; the inbox one is delivered at once."""
    preferences = preferences_of(await uow.get(Subscription, unit))
    now = ctx.clock.now()
    message = render(notice, templates=ctx.settings.notify_templates_dir, html=False)  # stored: subject, text
    # Held for the digest window so later assignments of the same plan can join one message; the inbox
    # shows at once, and later notices of the same plan fold into its unread item (inbox_digest).
    send_from = now + timedelta(seconds=ctx.settings.notify_digest_window_seconds)
    window = timedelta(seconds=ctx.settings.notify_digest_window_seconds)
    data = notice_to_json(notice)
    for channel in channels_for(preferences, notice.kind):
        nid = notification_id(event_id, unit, channel)
        if await uow.get(Notification, nid) is not None:
            continue
        inbox = channel == "inbox"
        head = await inbox_digest.head_for(uow, unit, plan_id, notice, now, window) if inbox else None
        if head is not None:
            await inbox_digest.reword_head(uow, ctx, head, notice)
        values: dict[str, object] = {
            "id": nid,
            "source_event_id": event_id,
            "kind": notice.kind,
            "unit": unit,
            "channel": channel,
            "plan_id": plan_id,
            "state": ("sent" if head is None else inbox_digest.GROUPED) if inbox else "pending",
            "batch_id": head.id if head is not None else None,
            "title": message.subject,
            "body": message.text,
            "link": message.link,
            "data": data,
            "attempts": 0,
            "next_attempt_at": None if inbox else send_from,
            "created_at": now,
            "sent_at": now if inbox else None,
        }
        if inbox and head is None:  # a new head: later notices of the transaction join it and reword it
            inbox_digest.opened(uow, uow.add(Notification.model_validate(values)))
        else:  # grouped under a head, or waiting for its sender: a plain row, written with the batch's others
            uow.insert(Notification, **values)


async def prefetch_task_assigned(
    uow: UnitOfWork, events: Sequence[Received[TaskAssigned]], ctx: NotifyContext
) -> None:
    """Load what a batch of assignments looks up (copies, units' preferences, notifications, the inbox
    items their notices join) in a few queries."""
    await uow.prefetch(AssignmentCopy, [e.event.assignment_id for e in events])
    units = {e.event.unit for e in events}
    await uow.prefetch(Subscription, units)
    heard: dict[str, list[Channel]] = {}
    for unit in units:
        heard[unit] = channels_for(preferences_of(await uow.get(Subscription, unit)), "task_assigned")
    await uow.prefetch(
        Notification,
        [
            notification_id(e.facts.id, e.event.unit, channel)
            for e in events
            for channel in heard[e.event.unit]
        ],
    )
    window = timedelta(seconds=ctx.settings.notify_digest_window_seconds)
    groups = {(e.event.unit, e.event.plan_id, TaskAssignedNotice.kind) for e in events}
    await inbox_digest.prefetch_heads(uow, groups, ctx.clock.now(), window, ctx.read_back)


_NEW_COPIES = "notify.new_assignment_copies"


def _new_copies(uow: UnitOfWork) -> dict[str, dict[str, object]]:
    """Copies of assignments first heard of in this transaction, as plain values written at commit: a city
    plan's batch brings hundreds, and an ORM object each cost more than writing them all at once."""
    return uow.memo(_NEW_COPIES, dict)


async def _remember(uow: UnitOfWork, values: dict[str, object]) -> None:
    """Keep the assignment's terms; a newer revision's replace the ones kept."""
    assignment_id = str(values["assignment_id"])
    new = _new_copies(uow)
    if assignment_id in new:
        new[assignment_id] = values
        return
    known = await uow.get(AssignmentCopy, assignment_id)
    if known is not None:
        for name, value in values.items():
            setattr(known, name, value)
        return

    async def write() -> None:
        for kept in new.values():
            uow.insert(AssignmentCopy, **kept)

    uow.before_commit(_NEW_COPIES, write)
    new[assignment_id] = values


async def on_task_assigned(uow: UnitOfWork, event: TaskAssigned, ctx: NotifyContext) -> None:
    """Remember the assignment (for later reminders) and tell the unit it was given a task."""
    await _remember(
        uow,
        {
            "assignment_id": event.assignment_id,
            "unit": event.unit,
            "unit_name": event.unit_name,
            "plan_id": event.plan_id,
            "plan_number": event.plan_number,
            "plan_title": event.plan_title,
            "task_title": event.task_title,
            "role": event.role,
            "due": event.timeframe.due,
        },
    )
    notice = TaskAssignedNotice(
        unit_name=event.unit_name if event.unit_name != event.unit else ctx.unit_name(event.unit),
        plan=PlanRef(event.plan_title, event.plan_number),
        task_title=event.task_title,
        role=event.role,
        due=event.timeframe.due,
        as_of=ctx.clock.today(),
        link=ctx.assignment_link(event.assignment_id),
        timeframe_text=event.timeframe.text,
        output=event.output,
    )
    await record(uow, ctx, current_event().id, event.unit, notice, event.plan_id)


async def _assignment(uow: UnitOfWork, ctx: NotifyContext, assignment_id: str, unit: str) -> AssignmentCopy:
    kept = _new_copies(uow).get(assignment_id)
    if kept is not None:  # heard of earlier in this batch, not written yet
        return AssignmentCopy.model_validate(kept)
    copy = await uow.get(AssignmentCopy, assignment_id)
    if copy is not None:
        return copy
    # A reminder for an assignment notify never heard of (e.g. before notify existed): say what we know.
    return AssignmentCopy(
        assignment_id=assignment_id,
        unit=unit,
        unit_name=ctx.unit_name(unit),
        plan_id="",
        plan_title="(chưa rõ kế hoạch)",
        task_title=f"Nhiệm vụ mã {assignment_id}",
        role="chu_tri",
    )


async def on_deadline_near(uow: UnitOfWork, event: DeadlineNear, ctx: NotifyContext) -> None:
    """Remind the unit that an assignment's due date is approaching."""
    a = await _assignment(uow, ctx, event.assignment_id, event.unit)
    link = ctx.assignment_link(event.assignment_id)
    told = await inbox_digest.assigned_notice(uow, event.unit, a.plan_id, link)
    if told is not None and told.as_of >= ctx.clock.today():
        return  # given today: the "new task" notice already said how many days are left
    notice = DeadlineNearNotice(
        unit_name=a.unit_name,
        plan=PlanRef(a.plan_title, a.plan_number),
        task_title=a.task_title,
        role="phoi_hop" if a.role == "phoi_hop" else "chu_tri",
        due=event.due,
        as_of=ctx.clock.today(),
        link=link,
        working_days_left=event.working_days_left,
    )
    await record(uow, ctx, current_event().id, event.unit, notice, a.plan_id or None)


async def on_task_overdue(uow: UnitOfWork, event: TaskOverdue, ctx: NotifyContext) -> None:
    """Tell the unit an assignment is overdue: the lead escalated, a coordinator gently (settings decide)."""
    a = await _assignment(uow, ctx, event.assignment_id, event.unit)
    link = ctx.assignment_link(event.assignment_id)
    told = await inbox_digest.assigned_notice(uow, event.unit, a.plan_id, link)
    if told is not None and told.due is not None and told.due < told.as_of:
        return  # given after its deadline: the one notice said "giao khi đã quá hạn ngày …"
    coordinating = a.role == "phoi_hop"
    s = ctx.settings
    tone = s.notify_overdue_coordinators if coordinating else s.notify_overdue_lead
    if tone == "off":
        return
    notice = OverdueNotice(
        unit_name=a.unit_name,
        plan=PlanRef(a.plan_title, a.plan_number),
        task_title=a.task_title,
        role="phoi_hop" if coordinating else "chu_tri",
        due=event.due,
        as_of=ctx.clock.today(),
        link=link,
        gentle=tone == "gentle",
    )
    await record(uow, ctx, current_event().id, event.unit, notice, a.plan_id or None)


async def on_report_due(uow: UnitOfWork, event: ReportDue, ctx: NotifyContext) -> None:
    """Tell the unit its periodic report is due soon."""
    notice = ReportDueNotice(
        unit_name=ctx.unit_name(event.unit),
        period_label=event.period_id,
        window_start=event.window_start,
        window_end=event.window_end,
        deadline=event.deadline,
        as_of=ctx.clock.today(),
        link=ctx.report_link(event.unit, event.plan_id, event.period_id),
    )
    await record(uow, ctx, current_event().id, event.unit, notice, None)


async def on_report_missed(uow: UnitOfWork, event: ReportMissed, ctx: NotifyContext) -> None:
    """Tell the unit its periodic report deadline passed without a report."""
    notice = ReportMissedNotice(
        unit_name=ctx.unit_name(event.unit),
        period_label=event.period_id,
        deadline=event.deadline,
        as_of=ctx.clock.today(),
        link=ctx.report_link(event.unit, event.plan_id, event.period_id),
    )
    await record(uow, ctx, current_event().id, event.unit, notice, None)


async def _plan_of(uow: UnitOfWork, plan_id: str | None) -> PlanRef | None:
    """The plan as notify heard of it through its assignments, or None when it heard of none."""
    if not plan_id:
        return None
    for kept in _new_copies(uow).values():  # heard of earlier in this batch, not written yet
        if kept["plan_id"] == plan_id:
            return PlanRef(str(kept["plan_title"]), cast(str | None, kept["plan_number"]))
    query = select(AssignmentCopy).where(col(AssignmentCopy.plan_id) == plan_id).limit(1)
    copy = (await uow.session.exec(query)).first()
    return PlanRef(copy.plan_title, copy.plan_number) if copy else None


async def on_submission_reviewed(uow: UnitOfWork, event: SubmissionReviewed, ctx: NotifyContext) -> None:
    """Tell the unit its result or report was returned for correction, and why; an acceptance says nothing."""
    if event.decision != "returned":
        return
    notice = ReturnedNotice(
        unit_name=ctx.unit_name(event.unit),
        submission=event.kind,
        version=event.version,
        note=event.note.strip() if event.note and event.note.strip() else None,
        returned_on=event.reviewed_at.astimezone(VIETNAM).date(),
        link=ctx.submission_link(event.kind, event.item_id),
        plan=await _plan_of(uow, event.plan_id),
        period_label=event.period_id,
    )
    await record(uow, ctx, current_event().id, event.unit, notice, event.plan_id)


async def _proposal(
    uow: UnitOfWork, ctx: NotifyContext, event: ApprovalRequested | ApprovalDecided
) -> tuple[PlanRef | None, str | None, str | None]:
    """A proposal's plan (as notify heard of it), its task (a result's) and its plan id."""
    if event.kind == "result" and event.assignment_id:
        a = await _assignment(uow, ctx, event.assignment_id, event.unit)
        plan_id = a.plan_id or event.plan_id
        plan = PlanRef(a.plan_title, a.plan_number) if a.plan_id else await _plan_of(uow, plan_id)
        return plan, a.task_title if a.plan_id else None, plan_id
    return await _plan_of(uow, event.plan_id), None, event.plan_id


async def on_approval_requested(uow: UnitOfWork, event: ApprovalRequested, ctx: NotifyContext) -> None:
    """Tell the unit that an officer's result or report waits for its leader's approval, and where to give
    it."""
    plan, task_title, plan_id = await _proposal(uow, ctx, event)
    notice = ApprovalWaitingNotice(
        unit_name=ctx.unit_name(event.unit),
        submission=event.kind,
        sender_name=event.submitted_by.name,
        submitted_on=event.submitted_at.astimezone(VIETNAM).date(),
        link=ctx.approvals_link(),
        plan=plan,
        task_title=task_title,
        period_label=event.period_id,
    )
    await record(uow, ctx, current_event().id, event.unit, notice, plan_id)


async def on_approval_decided(uow: UnitOfWork, event: ApprovalDecided, ctx: NotifyContext) -> None:
    """Tell the unit its leader returned a result or report, why, and where to correct it; an approval says
    nothing (the result or report goes up as usual, ADR 0120)."""
    if event.decision != "returned":
        return
    plan, task_title, plan_id = await _proposal(uow, ctx, event)
    if event.kind == "result" and event.assignment_id:
        link = ctx.assignment_link(event.assignment_id)
    else:
        link = ctx.report_link(event.unit, event.plan_id, event.period_id or "")
    notice = ApprovalReturnedNotice(
        unit_name=ctx.unit_name(event.unit),
        submission=event.kind,
        sender_name=event.submitted_by.name,
        note=event.note.strip() if event.note and event.note.strip() else None,
        returned_on=event.decided_at.astimezone(VIETNAM).date(),
        link=link,
        leader_name=event.decided_by.name if event.decided_by else None,
        plan=plan,
        task_title=task_title,
        period_label=event.period_id,
    )
    await record(uow, ctx, current_event().id, event.unit, notice, plan_id)

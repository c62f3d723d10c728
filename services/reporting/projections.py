"""Reporting's projections: each event updates the read model, whatever order the events come in.

A rebuild replays each topic from its beginning, so events of different topics arrive in another order
than they did live. Every projection is therefore commutative: versions are compared rather than
trusted to come in order, and an event about something not seen yet leaves a placeholder that the
missing event completes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.platform.directory import DIRECTORY_TABLE, store_newest
from dondoc.platform.subscriptions import Received, current_event
from dondoc.platform.uow import UnitOfWork
from services.reporting.models import (
    AssignmentView,
    ExpectedReportView,
    PlanView,
    ReportView,
    ResultView,
    metadata,
)
from shared.events import (
    DirectoryPublished,
    PlanReceived,
    ReportDue,
    ReportExpected,
    ReportMissed,
    ReportSubmitted,
    ResultSubmitted,
    TaskAssigned,
    TaskStatusChanged,
    TaskWithdrawn,
)

PLACEHOLDER_REF = ""  # an assignment known only from a withdrawal or a status change so far


async def on_plan_received(uow: UnitOfWork, plan: PlanReceived, _ctx: object) -> None:
    """Keep the newest version of the plan."""
    view = await uow.get(PlanView, plan.plan_id)
    if view is not None and view.version >= plan.version:
        return
    view = view or PlanView(plan_id=plan.plan_id, version=0, title="", content={})
    view.version = plan.version
    view.number = plan.number
    view.title = plan.title
    view.issuer_unit = plan.issuer.unit
    view.issued_on = plan.issued_on
    view.implements_plan_id = plan.implements_plan_id
    view.content = plan.model_dump(mode="json")
    uow.add(view)


@dataclass(slots=True)
class _NewView:
    """An assignment view first seen in this transaction, as plain values: a city plan's batch brings
    hundreds, and an ORM object per view cost more than writing them all (one INSERT at commit)."""

    assignment_id: str
    plan_id: str
    unit: str
    updated_at: datetime
    task_ref: str = PLACEHOLDER_REF
    task_title: str = ""
    unit_name: str = ""
    role: str = "phoi_hop"
    due: date | None = None
    status: str = "chua_den_han"
    status_as_of: date | None = None
    withdrawn: bool = False
    plan_version: int = 0
    revision: int = 0
    timeframe_kind: str = "unspecified"

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


_NEW_VIEWS = "reporting.new_assignment_views"


async def _assignment_view(
    uow: UnitOfWork, assignment_id: str, plan_id: str, unit: str
) -> AssignmentView | _NewView:
    """The stored view, or one this transaction started (a placeholder until the events complete it).

    Views this transaction started are written together when it commits; a later event of the same batch
    about the same assignment finds and updates the same values.
    """
    new: dict[str, _NewView] = uow.memo(_NEW_VIEWS, dict)
    started = new.get(assignment_id)
    if started is not None:
        return started
    view = await uow.get(AssignmentView, assignment_id)
    if view is not None:
        return view

    async def write() -> None:
        for values in new.values():
            uow.insert(AssignmentView, **values.values())

    uow.before_commit(_NEW_VIEWS, write)
    started = new[assignment_id] = _NewView(assignment_id, plan_id, unit, SYSTEM_CLOCK.now(), unit_name=unit)
    return started


def _keep(uow: UnitOfWork, view: AssignmentView | _NewView) -> None:
    if isinstance(view, AssignmentView):  # a new one is written at commit
        uow.add(view)


AssignmentEvent = TaskAssigned | TaskWithdrawn | TaskStatusChanged


async def prefetch_assignments(
    uow: UnitOfWork, events: Sequence[Received[AssignmentEvent]], _ctx: object
) -> None:
    """Load the views a batch of assignment events updates, in a few queries."""
    await uow.prefetch(AssignmentView, [e.event.assignment_id for e in events])


async def on_task_assigned(uow: UnitOfWork, event: TaskAssigned, _ctx: object) -> None:
    """An assignment or a newer revision of it; a plan version later than any seen un-withdraws it.

    Revisions of one assignment only grow, so the highest revision's terms are the current ones, and
    whether it is withdrawn follows the highest plan version seen: both are maxima, whatever the order.
    """
    view = await _assignment_view(uow, event.assignment_id, event.plan_id, event.unit)
    if view.task_ref == PLACEHOLDER_REF or event.revision > view.revision:
        view.plan_id = event.plan_id
        view.task_ref = event.task_ref
        view.task_title = event.task_title
        view.unit_name = event.unit_name
        view.role = event.role
        view.timeframe_kind = event.timeframe.kind
        view.due = event.timeframe.due
        view.revision = max(view.revision, event.revision)
    if event.plan_version > view.plan_version:
        view.plan_version = event.plan_version
        view.withdrawn = False
    view.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, view)


async def on_task_withdrawn(uow: UnitOfWork, event: TaskWithdrawn, _ctx: object) -> None:
    """A revised plan took the task away from the unit (unless a later version gave it back)."""
    view = await _assignment_view(uow, event.assignment_id, event.plan_id, event.unit)
    if event.plan_version > view.plan_version:
        view.plan_version = event.plan_version
        view.withdrawn = True
    view.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, view)


async def on_task_status_changed(uow: UnitOfWork, event: TaskStatusChanged, _ctx: object) -> None:
    """The tasks service's own judgement of an assignment, the latest by date (periods aside)."""
    if event.period_id is not None:
        return  # per-period judgements are recompiled from the reports themselves
    view = await _assignment_view(uow, event.assignment_id, "", event.unit)
    if view.status_as_of is not None and (view.status_as_of, view.status) >= (event.as_of, event.status):
        return  # ties on one day resolve the same way in any order
    view.status = event.status
    view.status_as_of = event.as_of
    view.updated_at = SYSTEM_CLOCK.now()
    _keep(uow, view)


async def on_result_submitted(uow: UnitOfWork, event: ResultSubmitted, _ctx: object) -> None:
    """Every version is kept: which one counts is decided when compiling (latest accepted)."""
    if await uow.get(ResultView, (event.result_id, event.version)) is not None:
        return
    person = event.submitted_by
    uow.add(
        ResultView(
            result_id=event.result_id,
            version=event.version,
            assignment_id=event.assignment_id,
            unit=event.unit,
            status=event.status,
            completed_on=event.completed_on,
            output=event.output,
            narrative=event.narrative,
            difficulties=event.difficulties,
            proposals=event.proposals,
            attachments=list(event.attachments),
            submitted_at=event.submitted_at,
            sender=f"{person.name} ({person.username})" if person else None,
        )
    )


async def on_report_submitted(uow: UnitOfWork, event: ReportSubmitted, _ctx: object) -> None:
    """Every version of a periodic report is kept."""
    if await uow.get(ReportView, (event.report_id, event.version)) is not None:
        return
    uow.add(
        ReportView(
            report_id=event.report_id,
            version=event.version,
            unit=event.unit,
            period_id=event.period_id,
            plan_id=event.plan_id,
            narrative=event.narrative,
            difficulties=event.difficulties,
            proposals=event.proposals,
            submitted_at=event.submitted_at,
        )
    )


async def _expect(uow: UnitOfWork, event: ReportExpected | ReportDue | ReportMissed, rank: int) -> None:
    """Record a report owed; the deadline kept is the newest announced (then missed > due > expected).

    Tasks announces a report's deadline again when it moves (a send-by rule set after confirmation, a
    calendar change), so the newest decision wins, in any order of arrival.
    """
    key = (event.obligation_id, event.unit, event.period_id)
    view = await uow.get(ExpectedReportView, key)
    if view is None:
        view = ExpectedReportView(
            obligation_id=event.obligation_id,
            unit=event.unit,
            period_id=event.period_id,
            deadline=event.deadline,
            deadline_rank=-1,
        )
    view.plan_id = view.plan_id or event.plan_id
    view.window_start = view.window_start or event.window_start
    view.window_end = view.window_end or event.window_end
    missed = isinstance(event, ReportMissed)
    held = (_utc(view.deadline_set_at), view.deadline_rank)
    announced = current_event().time
    if (announced, rank) > held:
        view.deadline, view.deadline_rank, view.deadline_set_at = event.deadline, rank, announced
        view.missed = missed
    elif missed and event.deadline == view.deadline:
        view.missed = True
    uow.add(view)


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return as_utc(moment)


async def on_report_expected(uow: UnitOfWork, event: ReportExpected, _ctx: object) -> None:
    """A report the calendar owes, sent already or not: what completeness counts."""
    await _expect(uow, event, 0)


async def on_report_due(uow: UnitOfWork, event: ReportDue, _ctx: object) -> None:
    """A report owed soon (also announced to the unit)."""
    await _expect(uow, event, 1)


async def on_report_missed(uow: UnitOfWork, event: ReportMissed, _ctx: object) -> None:
    """The deadline passed without a report: the expectation stands, marked missed."""
    await _expect(uow, event, 2)


async def on_directory_published(uow: UnitOfWork, event: DirectoryPublished, _ctx: object) -> None:
    """Keep the newest directory: unit names and kinds in the submission follow it (older versions lose)."""
    await store_newest(uow.session, metadata.tables[DIRECTORY_TABLE], event)

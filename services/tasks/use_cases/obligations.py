"""Plans' reporting obligations and the calendar they make (Decree 09 periods, per-level deadlines)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final, cast, get_args

from sqlalchemy import delete
from sqlmodel import col, select

from dondoc.platform.uow import UnitOfWork
from services.tasks.context import TasksContext
from services.tasks.domain.deadlines import Level, ReportingRule, deadline_for, rule_for
from services.tasks.domain.periods import PeriodKind, periods_between
from services.tasks.domain.reminders import ReportDueDate
from services.tasks.models import Obligation, ReportReceipt
from shared.events import PlanReceived, ReportingObligation, UnitRef

_NAMESPACE: Final = uuid.UUID("0b6e0f8e-6a0c-4b8e-9d0e-7461736b7372")
_KINDS: Final = frozenset(get_args(PeriodKind))


def obligation_id(plan_id: str, index: int) -> str:
    """Stable id of a plan's n-th reporting obligation."""
    return str(uuid.uuid5(_NAMESPACE, f"obligation|{plan_id}|{index}"))


def _units(refs: Sequence[UnitRef], ctx: TasksContext, issuer: str | None) -> list[str]:
    codes: list[str] = []
    for ref in refs:
        if ref.unit:
            codes.append(ref.unit)
        elif ref.group:
            codes.extend(ctx.directory.expand(ref.group, issuer))
    return list(dict.fromkeys(codes))


def custom_rule(row: Obligation) -> ReportingRule | None:
    """The send-by rule the issuing unit set for this obligation, if any."""
    if not row.send_rule:
        return None
    rule = dict(row.send_rule)
    return ReportingRule(
        kinds=frozenset(cast(PeriodKind, k) for k in row.kinds),
        working_days_after_cutoff=cast(int | None, rule.get("working_days_after_cutoff")),
        send_before_day=cast(int | None, rule.get("send_before_day")),
        lower_level_lead_days=cast(int, rule.get("lower_level_lead_days", 0)),
        level=cast(Level, rule.get("level", "city")),
    )


def city_default(plan: PlanReceived) -> ReportingObligation:
    """A plan with no reporting clause still reports: every unit given a task reports to the issuer on the
    city's default calendar (TasksSettings.default_report_recurrence), never silently nothing."""
    reporters = [ref for task in plan.tasks for ref in (*task.lead, *task.coordinating)]
    return ReportingObligation(
        reporter=reporters,
        recipient=plan.issuer,
        recurrence=[],
        text="Kế hoạch không nêu chế độ báo cáo: áp dụng lịch báo cáo mặc định của thành phố.",
    )


async def store(uow: UnitOfWork, plan: PlanReceived, ctx: TasksContext, today: date) -> None:
    """Replace the plan's obligations with this version's (reporters expanded, recurrence known kinds)."""
    existing = (
        await uow.session.exec(select(Obligation).where(col(Obligation.plan_id) == plan.plan_id))
    ).all()
    rules = {row.obligation_id: row.send_rule for row in existing}  # a revision keeps the rules set
    await uow.session.execute(delete(Obligation).where(col(Obligation.plan_id) == plan.plan_id))
    dues = [t.timeframe.due for t in plan.tasks if t.timeframe.due is not None]
    for index, item in enumerate(plan.reporting or [city_default(plan)]):
        kinds = [k for k in (item.recurrence or ctx.settings.default_report_recurrence) if k in _KINDS]
        units = _units(item.reporter, ctx, plan.issuer.unit)
        if not kinds or not units:
            continue
        uow.session.add(
            Obligation(
                obligation_id=obligation_id(plan.plan_id, index),
                plan_id=plan.plan_id,
                units=units,
                kinds=kinds,
                recipient=item.recipient.unit if item.recipient else None,
                text=item.text,
                starts_on=plan.issued_on or today,
                ends_on=max(dues) if dues else None,
                send_rule=rules.get(obligation_id(plan.plan_id, index)),
            )
        )


async def reports_owed(uow: UnitOfWork, ctx: TasksContext, today: date) -> list[ReportDueDate]:
    """Every report an active obligation owes, from the plan's issue (or effective) date to two months on.

    From the start, not from a look-back window: a plan issued in April and confirmed in November owes
    its May–October reports too, and counting only recent ones would overstate completeness.
    """
    session = uow.session
    rows = (await session.exec(select(Obligation).where(col(Obligation.active).is_(True)))).all()
    if not rows:
        return []
    receipts = (await session.exec(select(ReportReceipt))).all()
    reported: dict[tuple[str, str, str | None], date] = {}
    for receipt in receipts:
        key = (receipt.unit, receipt.period_id, receipt.plan_id)
        reported[key] = min(receipt.submitted_on, reported.get(key, receipt.submitted_on))
    owed: list[ReportDueDate] = []
    for row in rows:
        for kind_text in row.kinds:
            kind = cast(PeriodKind, kind_text)
            rule = custom_rule(row) or rule_for(kind)
            for period in periods_between(kind, row.starts_on, today + timedelta(days=62)):
                if row.ends_on is not None and period.window_start > row.ends_on:
                    continue
                for unit in row.units:
                    deadline = deadline_for(period, rule, ctx.directory.level_of(unit), ctx.calendar)
                    if deadline < row.starts_on:
                        continue
                    on = reported.get((unit, period.id, row.plan_id)) or reported.get((unit, period.id, None))
                    owed.append(ReportDueDate(row.obligation_id, unit, period, deadline, on))
    return owed

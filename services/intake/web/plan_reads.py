"""What the plan pages read: a unit's plans, the plans it may implement, the directory as a picker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.directory import Directory, UnknownCode
from dondoc.directory.addressing import Relation, not_addressable
from dondoc.kernel.units import within
from services.intake.domain.plan_flags import listed
from services.intake.models import PlanRecord


@dataclass(frozen=True)
class Option:
    value: str
    label: str


async def plans_of(session: AsyncSession, unit: str | None) -> list[PlanRecord]:
    """The unit's own plans (every plan for the city administrator), drafts first, newest first."""
    query = select(PlanRecord).order_by(col(PlanRecord.updated_at).desc())
    rows = list((await session.exec(query)).all())
    mine = [r for r in rows if unit is None or within(r.issuer_unit, unit)]
    return sorted(mine, key=lambda r: r.status != "draft")


async def implementable(session: AsyncSession, directory: Directory, issuer: str) -> list[Option]:
    """Confirmed plans of other units a plan of `issuer` may implement, by number, title and issuer."""
    query = select(PlanRecord).where(PlanRecord.status == "confirmed", PlanRecord.issuer_unit != issuer)
    rows = list((await session.exec(query)).all())
    rows.sort(key=lambda r: (len(r.issuer_unit), r.issued_on or r.created_at.date()), reverse=False)
    options = []
    for row in rows:
        unit = directory.get(row.issuer_unit)
        who = unit.name if unit else row.issuer_unit
        options.append(Option(row.id, f"{row.number or 'Không số'} — {row.title} ({who})"))
    return options


def tasks_of(record: PlanRecord | None) -> list[Option]:
    """The tasks of the plan a draft implements, to link each task to one of them."""
    if record is None:
        return []
    tasks = listed(record.content.get("tasks"))
    return [Option(str(t["ref"]), f"{t['ref']}. {t['title']}"[:160]) for t in tasks]


def unit_options(directory: Directory, issuer: str, rule: tuple[Relation, ...]) -> list[Option]:
    """The groups and units a plan of `issuer` may give a task to, for a <select> (works with no script)."""
    units = [u for u in directory.list_units() if u.active]
    refused = set(not_addressable(directory, issuer, [u.code for u in units], rule))
    options = []
    for group in directory.groups():
        try:
            members = directory.expand(group.code, issuer)
        except UnknownCode:
            continue
        # Only a group the issuer may address whole; of the 114 offices' groups, only its own.
        own = ":" not in group.code or group.code.endswith(":" + issuer)
        if members and own and not refused.intersection(members):
            options.append(Option(f"group:{group.code}", f"Nhóm: {group.label}"))
    options += [Option(u.code, u.name) for u in units if u.code not in refused]
    return options

"""What the workspace's pages read from intake's store: versions sent, their evidence and reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from dondoc.kernel.clock import SYSTEM_CLOCK
from services.intake.models import EvidenceFile, Person, ResultRecord, ReviewSeen
from services.intake.use_cases.people import PERSON_PREFIX
from services.intake.web.work import Sent


def today() -> date:
    """Today in Hải Phòng (a date typed by a person is a local date)."""
    return SYSTEM_CLOCK.today()


@dataclass(frozen=True)
class Evidence:
    id: str
    filename: str
    kind: str
    size: int


@dataclass(frozen=True)
class Version:
    """One version a unit sent on an assignment, as its history shows it."""

    result_id: str
    version: int
    unit: str
    content: dict[str, object]
    sender: str  # the person's name and username, or "hệ thống của đơn vị" for an API key
    submitted_at: datetime
    evidence: list[Evidence]
    decision: str | None
    note: str | None


async def latest_sent(session: AsyncSession, assignment_ids: Sequence[str]) -> dict[str, Sent]:
    """The newest version on each assignment and whether it was returned."""
    if not assignment_ids:
        return {}
    rows = (
        await session.exec(
            select(ResultRecord.id, ResultRecord.assignment_id, ResultRecord.version, ResultRecord.content)
            .where(col(ResultRecord.assignment_id).in_(list(assignment_ids)))
            .order_by(col(ResultRecord.version))
        )
    ).all()
    newest = {assignment: (rid, version, content) for rid, assignment, version, content in rows}
    reviews = await _reviews(session, [rid for rid, _, _ in newest.values()])
    found = {}
    for assignment, (rid, version, content) in newest.items():
        decision, note = reviews.get((rid, version), (None, None))
        found[assignment] = Sent(version, str(content.get("status")), decision == "returned", note)
    return found


async def _reviews(
    session: AsyncSession, result_ids: Sequence[str]
) -> dict[tuple[str, int], tuple[str, str | None]]:
    if not result_ids:
        return {}
    rows = (
        await session.exec(
            select(ReviewSeen).where(
                ReviewSeen.kind == "result", col(ReviewSeen.item_id).in_(list(result_ids))
            )
        )
    ).all()
    return {(r.item_id, r.version): (r.decision, r.note) for r in rows}


async def versions(session: AsyncSession, assignment_id: str) -> list[Version]:
    """Every version sent on an assignment, newest first, with who sent it, its files and any review."""
    rows = (
        await session.exec(
            select(ResultRecord)
            .where(ResultRecord.assignment_id == assignment_id)
            .order_by(col(ResultRecord.version).desc())
        )
    ).all()
    ids = [r.id for r in rows]
    reviews = await _reviews(session, ids)
    files = (
        (await session.exec(select(EvidenceFile).where(col(EvidenceFile.result_id).in_(ids)))).all()
        if ids
        else []
    )
    by_result: dict[str, list[Evidence]] = {}
    for f in files:
        by_result.setdefault(f.result_id, []).append(Evidence(f.id, f.filename, f.kind, f.size))
    names = await sender_names(session, {r.submitted_by for r in rows})
    found = []
    for r in rows:
        decision, note = reviews.get((r.id, r.version), (None, None))
        sender = names.get(r.submitted_by, "Hệ thống của đơn vị (khóa truy cập)")
        found.append(
            Version(
                r.id,
                r.version,
                r.unit,
                r.content,
                sender,
                r.submitted_at,
                by_result.get(r.id, []),
                decision,
                note,
            )
        )
    return found


async def sender_names(session: AsyncSession, submitters: set[str]) -> dict[str, str]:
    usernames = [s.removeprefix(PERSON_PREFIX) for s in submitters if s.startswith(PERSON_PREFIX)]
    if not usernames:
        return {}
    people = (await session.exec(select(Person).where(col(Person.username).in_(usernames)))).all()
    return {f"{PERSON_PREFIX}{p.username}": f"{p.name} ({p.username})" for p in people}


async def evidence(session: AsyncSession, evidence_id: str) -> EvidenceFile | None:
    return await session.get(EvidenceFile, evidence_id)

"""Which send-by deadlines to announce (report.expected), and again whenever one moves.

A deadline moves when the issuing unit sets a send-by rule after confirmation, when the working-day
calendar changes, or when a plan revision changes an obligation. Each announcement of a unit's report
for a period is a fired key numbered in order and carrying the deadline it announced
(``report.expected:<obligation>:<unit>:<period>#<n>@<deadline>``), so the same exactly-once insert
that guards every tick also guards a re-announcement, and the latest announced deadline is read back
from the keys alone. The number is the report's deadline revision: report.due and report.missed keys
of a revision after the first carry it, so their timing follows the new deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.tasks.domain.reminders import ReportDueDate

PREFIX = "report.expected:"


@dataclass(frozen=True)
class Announced:
    """The latest announcement of one report: its number and the deadline it carried (None: unknown)."""

    number: int
    deadline: date | None


@dataclass(frozen=True)
class Announcement:
    """A report.expected to send now, under its fired key."""

    key: str
    item: ReportDueDate


def _base(obligation_id: str, unit: str, period_id: str) -> str:
    return f"{PREFIX}{obligation_id}:{unit}:{period_id}"


def announced(fired: Iterable[str]) -> dict[str, Announced]:
    """The latest announcement per report (by its key base) among the fired keys."""
    latest: dict[str, Announced] = {}
    for key in fired:
        if not key.startswith(PREFIX):
            continue
        base, hashed, rest = key.partition("#")
        if not hashed:  # before deadlines were numbered: announced once, deadline not recorded
            found = Announced(1, None)
        else:
            number, _, day = rest.partition("@")
            found = Announced(int(number), date.fromisoformat(day))
        held = latest.get(base)
        rank = (found.number, found.deadline is not None)
        if held is None or rank > (held.number, held.deadline is not None):
            latest[base] = found
    return latest


def plan_announcements(
    owed: Sequence[ReportDueDate], fired: Iterable[str]
) -> tuple[list[Announcement], list[ReportDueDate]]:
    """What to announce now, and every owed report with its deadline revision for the reminder keys.

    First announcement: number 1. A key from before numbering is taken as number 1 with the same
    deadline: announced again under a numbered key (harmless to counters) without re-timing reminders.
    A deadline that differs from the latest announced one: the next number, and reminders re-armed.
    """
    latest = announced(fired)
    send: list[Announcement] = []
    revised: list[ReportDueDate] = []
    for item in owed:
        base = _base(item.obligation_id, item.unit, item.period.id)
        held = latest.get(base)
        if held is None or held.deadline is None:
            number = 1
        elif held.deadline == item.deadline:
            revised.append(replace(item, revision=held.number))
            continue
        else:
            number = held.number + 1
        announcement = replace(item, revision=number)
        send.append(Announcement(f"{base}#{number}@{item.deadline.isoformat()}", announcement))
        revised.append(announcement)
    return send, revised

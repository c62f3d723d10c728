"""Which version of a unit's result counts, and who may send one: one rule for tasks, reporting and notify.

An assignment has one sequence of versions (1, 2, 3, …) whoever of the unit and its Văn phòng sent
each. A compiler may accept a version or return it for correction; a later decision on the same version
replaces the earlier one. The version that counts is the one most recently *put forward*:

- a version is put forward when it arrives — unless reviews are required (`REVIEW_REQUIRED=true`), when
  only acceptance puts it forward — and again each time a compiler accepts it;
- a version whose latest decision is "returned" is never put forward, whatever came before;
- ties (same moment) go to the higher version number.

So a correction sent after an acceptance counts on arrival (unless reviews are required), accepting an
older version makes that version count again, and returning the counted version lets the one put forward
before it count. No version put forward: nothing counts, and the assignment is judged as unreported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol, TypeVar

from dondoc.kernel.clock import as_utc
from dondoc.kernel.units import VAN_PHONG, office_of, ward_of

Decision = Literal["accepted", "returned"]


class Sent(Protocol):
    """One version as sent: its number and when it arrived."""

    @property
    def version(self) -> int: ...
    @property
    def sent_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Version:
    """A plain `Sent`."""

    version: int
    sent_at: datetime


S = TypeVar("S", bound=Sent)


@dataclass(frozen=True, slots=True)
class Reviewed:
    """The latest decision a compiler took on one version, and when."""

    decision: Decision
    at: datetime

    @classmethod
    def stored(cls, decision: str | None, at: datetime | None) -> Reviewed | None:
        """A decision as a store keeps it (its text): anything but an acceptance or a return is none."""
        if at is None or decision not in ("accepted", "returned"):
            return None
        return cls("accepted" if decision == "accepted" else "returned", at)


def put_forward_at(sent: Sent, review: Reviewed | None, review_required: bool) -> datetime | None:
    """When the version was last put forward, or None when it cannot count (returned, or awaiting review)."""
    if review is not None and review.decision == "returned":
        return None
    moments = [] if review_required else [as_utc(sent.sent_at)]
    if review is not None:
        moments.append(as_utc(review.at))
    return max(moments) if moments else None


def counted(
    versions: Iterable[S], review_of: Callable[[S], Reviewed | None], review_required: bool
) -> S | None:
    """The version that counts for one assignment, or None when none does."""
    best: tuple[datetime, int, S] | None = None
    for sent in versions:
        moment = put_forward_at(sent, review_of(sent), review_required)
        if moment is not None and (best is None or (moment, sent.version) > best[:2]):
            best = (moment, sent.version, sent)
    return best[2] if best else None


def completion(status_reported: str, completed_on: date | None) -> date | None:
    """The completion date a counted version states: done means reported done ("hoan_thanh") with its date.

    A version "in progress" with a date, or "done" without one, is not a completion: timeliness cannot be
    judged without the date, and the unit's own word "in progress" is not contradicted by a stray date.
    """
    return completed_on if status_reported == "hoan_thanh" else None


def may_report_on(sender: str, assigned: str) -> bool:
    """Whether `sender` may send results on an assignment given to `assigned`.

    The assigned unit itself; for a ward's assignment also its Văn phòng HĐND và UBND, which compiles the
    ward's reports (DOMAIN: offices report to the Văn phòng, the ward reports up). Not any other office:
    an office's empty draft must not count over the ward's own result. An office's own assignment may also
    be reported by its ward and the ward's Văn phòng.
    """
    return sender in reporters_of(assigned)


def reporters_of(assigned: str) -> tuple[str, ...]:
    """The units that may send results on an assignment given to `assigned` (see `may_report_on`)."""
    ward = ward_of(assigned)
    return (assigned, ward, office_of(ward, VAN_PHONG))

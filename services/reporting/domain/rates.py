"""Shares kept exact (a Fraction) and shown rounded, the way a report prints them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dondoc.kernel.status import REPORTED_STATUSES, TaskStatus
from services.reporting.domain.vi import format_percent, round_percent


@dataclass(frozen=True, slots=True)
class Rate:
    """numerator / denominator; undefined (None) when there is nothing to divide by."""

    numerator: int
    denominator: int

    @property
    def fraction(self) -> Fraction | None:
        """The exact share, or None when the denominator is zero."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def percent(self) -> Decimal | None:
        """Percentage rounded half up to one decimal."""
        share = self.fraction
        return None if share is None else round_percent(share)

    @property
    def text(self) -> str:
        """Vietnamese rendering: 85,5%."""
        return format_percent(self.percent)


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many pieces of work are in each status."""

    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @classmethod
    def of(cls, statuses: list[TaskStatus]) -> StatusCounts:
        """Count a list of statuses."""
        tally = dict.fromkeys(REPORTED_STATUSES, 0)
        for status in statuses:
            tally[status] += 1
        return cls(*(tally[s] for s in REPORTED_STATUSES))

    @property
    def total(self) -> int:
        """All pieces of work counted."""
        return self.done_on_time + self.done_late + self.in_progress + self.overdue

    def count(self, status: TaskStatus) -> int:
        """The count for one status."""
        return {
            TaskStatus.DONE_ON_TIME: self.done_on_time,
            TaskStatus.DONE_LATE: self.done_late,
            TaskStatus.IN_PROGRESS: self.in_progress,
            TaskStatus.OVERDUE: self.overdue,
        }[status]

    def share(self, status: TaskStatus) -> Rate:
        """The share of one status in the total."""
        return Rate(self.count(status), self.total)

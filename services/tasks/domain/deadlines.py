"""Send-by deadlines for periodic reports, per reporting level (thời hạn gửi báo cáo).

Decree 09/2019 fixes the data windows but leaves the send-by day to whoever sets the reporting
regime: "within N working days of the cut-off", or "before 18 June and 18 December". A lower level
must report some days before the level above it, so that level has time to compile (tổng hợp).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from services.tasks.domain.calendar import WorkCalendar
from services.tasks.domain.periods import PeriodKind, ReportingPeriod, periods_between

Level = Literal["commune", "department", "city"]
# Reports flow commune → department (the Sở leading the plan) → city (to the ministry).
_RANK: Final[dict[Level, int]] = {"city": 0, "department": 1, "commune": 2}


@dataclass(frozen=True)
class ReportingRule:
    """When reports of some kinds are due at `level`; each lower level is due `lower_level_lead_days` earlier.

    Exactly one of `working_days_after_cutoff` (N working days after the window's end) and
    `send_before_day` ("trước ngày D": the day before day D of the cut-off month, or of the next
    month when D is not after the cut-off) must be set. Lead days count working days.
    """

    kinds: frozenset[PeriodKind]
    working_days_after_cutoff: int | None = None
    send_before_day: int | None = None
    lower_level_lead_days: int = 0
    level: Level = "city"

    def __post_init__(self) -> None:
        if (self.working_days_after_cutoff is None) == (self.send_before_day is None):
            raise ValueError("set exactly one of working_days_after_cutoff and send_before_day")
        if self.working_days_after_cutoff is not None and self.working_days_after_cutoff < 0:
            raise ValueError("working_days_after_cutoff cannot be negative")
        if self.send_before_day is not None and not 2 <= self.send_before_day <= 28:
            raise ValueError("send_before_day must be 2–28")
        if self.lower_level_lead_days < 0:
            raise ValueError("lower_level_lead_days cannot be negative")


# Defaults taken from the examples the city's reporting rules use; every plan or higher body may
# set its own, so the service reads them from settings and falls back to these.
DEFAULT_RULES: Final[tuple[ReportingRule, ...]] = (
    ReportingRule(kinds=frozenset({"monthly"}), working_days_after_cutoff=2, lower_level_lead_days=1),
    ReportingRule(
        kinds=frozenset({"quarterly", "semiannual", "ninemonth", "annual"}),
        send_before_day=18,
        lower_level_lead_days=1,
    ),
)


def rule_for(kind: PeriodKind, rules: Iterable[ReportingRule] = DEFAULT_RULES) -> ReportingRule:
    """The first rule that covers `kind`."""
    for rule in rules:
        if kind in rule.kinds:
            return rule
    raise LookupError(f"no reporting rule covers {kind} reports")


def deadline_for(period: ReportingPeriod, rule: ReportingRule, level: Level, calendar: WorkCalendar) -> date:
    """The last day a unit at `level` may send its report for `period` (always a working day).

    Never before the window's end: a report cannot be due before the data it reports on is complete.
    When the lead days would reach back past the cut-off (the 14th on a weekend), the lower level is
    due on the first working day from the cut-off, and gives up its head start rather than its data.
    """
    if period.kind not in rule.kinds:
        raise ValueError(f"the rule does not cover {period.kind} reports")
    steps = _RANK[level] - _RANK[rule.level]
    base = _base_deadline(period, rule, calendar)
    earliest = calendar.next_working_day(period.window_end, inclusive=True)
    return max(calendar.add_working_days(base, -steps * rule.lower_level_lead_days), earliest)


def _base_deadline(period: ReportingPeriod, rule: ReportingRule, calendar: WorkCalendar) -> date:
    cutoff = period.window_end
    if rule.working_days_after_cutoff == 0:
        return calendar.next_working_day(cutoff, inclusive=True)
    if rule.working_days_after_cutoff is not None:
        return calendar.add_working_days(cutoff, rule.working_days_after_cutoff)
    assert rule.send_before_day is not None
    year, month = cutoff.year, cutoff.month
    if rule.send_before_day <= cutoff.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    # "Before day D" forbids day D itself; when D−1 is a day off the report goes out on the last
    # working day before it, never after (Civil Code art. 148's extension is for time limits that
    # *end on* a day, not for "before" dates).
    last_day = date(year, month, rule.send_before_day) - timedelta(days=1)
    return calendar.previous_working_day(last_day, inclusive=True)


def report_schedule(
    kind: PeriodKind, rule: ReportingRule, level: Level, calendar: WorkCalendar, start: date, end: date
) -> list[tuple[ReportingPeriod, date]]:
    """Each period of `kind` overlapping [start, end] with the deadline for `level`."""
    periods = periods_between(kind, start, end)
    return [(period, deadline_for(period, rule, level, calendar)) for period in periods]

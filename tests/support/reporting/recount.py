"""Figures recounted the plain way, straight from the scenario's raw lists, to check the compiler."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from services.reporting.domain.inputs import ReportingInputs, Result

LOCAL = timezone(timedelta(hours=7))
ON_TIME, LATE, IN_PROGRESS, OVERDUE = "on_time", "late", "in_progress", "overdue"


def local_day(moment: datetime) -> date:
    """Hải Phòng is UTC+7 all year."""
    return moment.astimezone(LOCAL).date() if moment.tzinfo else moment.date()


def visible_result(inputs: ReportingInputs, assignment_id: str, as_of: date) -> Result | None:
    """Highest approved version reported by as_of."""
    best = None
    for r in inputs.results:
        visible = r.assignment_id == assignment_id and r.approved and local_day(r.reported_at) <= as_of
        if visible and (best is None or r.version > best.version):
            best = r
    return best


def status(due: date | None, done: date | None, as_of: date) -> str:
    """The four statuses, by hand."""
    if done is not None and done <= as_of:
        return ON_TIME if due is None or done <= due else LATE
    return IN_PROGRESS if due is None or as_of <= due else OVERDUE


def assignment_statuses(inputs: ReportingInputs, as_of: date) -> dict[str, str]:
    """Status of every assignment."""
    due = {t.id: t.due for t in inputs.tasks}
    out = {}
    for a in inputs.assignments:
        r = visible_result(inputs, a.id, as_of)
        out[a.id] = status(due[a.task_id], r.completed_on if r else None, as_of)
    return out


def task_status(inputs: ReportingInputs, task_id: str, as_of: date) -> str:
    """Done when every lead unit is done; late if any lead was late."""
    statuses = assignment_statuses(inputs, as_of)
    leads = [statuses[a.id] for a in inputs.assignments if a.task_id == task_id and a.role == "chu_tri"]
    due = next(t.due for t in inputs.tasks if t.id == task_id)
    if leads and all(s in (ON_TIME, LATE) for s in leads):
        return LATE if LATE in leads else ON_TIME
    return status(due, None, as_of)


def report_counts(
    inputs: ReportingInputs, unit_codes: set[str], start: date, end: date
) -> tuple[int, int, int]:
    """(expected, received, received by deadline) for some units."""
    expected = received = on_time = 0
    for e in inputs.expected_reports:
        if e.unit_code not in unit_codes or not start <= e.deadline <= end:
            continue
        expected += 1
        arrivals = [
            r.received_at
            for r in inputs.received_reports
            if r.unit_code == e.unit_code and r.period_id == e.period_id
        ]
        if arrivals:
            received += 1
            first = min(a.astimezone(UTC) for a in arrivals)
            if local_day(first) <= e.deadline:
                on_time += 1
    return expected, received, on_time


def percent_text(numerator: int, denominator: int) -> str:
    """Half-up to one decimal, decimal comma, no trailing ',0'."""
    tenths = (numerator * 1000 * 2 + denominator) // (denominator * 2)
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole},{tenth}%"

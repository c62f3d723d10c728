"""Notices to and from plain JSON, so a recorded notification can be rendered (or digested) later."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import cast

from services.notify.domain.notices import (
    ApprovalReturnedNotice,
    ApprovalWaitingNotice,
    DeadlineNearNotice,
    Kind,
    Notice,
    OverdueNotice,
    PlanRef,
    ReportDueNotice,
    ReportMissedNotice,
    ReturnedNotice,
    TaskAssignedNotice,
)

NOTICE_TYPES: dict[Kind, type[Notice]] = {
    "task_assigned": TaskAssignedNotice,
    "deadline_near": DeadlineNearNotice,
    "overdue": OverdueNotice,
    "report_due": ReportDueNotice,
    "report_missed": ReportMissedNotice,
    "returned": ReturnedNotice,
    "approval_waiting": ApprovalWaitingNotice,
    "approval_returned": ApprovalReturnedNotice,
}
_DATE_FIELDS = frozenset(
    {"due", "as_of", "window_start", "window_end", "deadline", "issued_on", "returned_on", "submitted_on"}
)


def _plain(value: object) -> object:
    # What dataclasses.asdict does, without its deep copy of every value (a tenth of recording's time).
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    return value


def notice_to_json(notice: Notice) -> dict[str, object]:
    """A notice as JSON-ready values (dates in ISO form), with its kind."""
    values = cast(dict[str, object], _plain(notice))
    return {"kind": notice.kind, **values}


def _dated(values: dict[str, object]) -> dict[str, object]:
    return {
        key: date.fromisoformat(value) if key in _DATE_FIELDS and isinstance(value, str) else value
        for key, value in values.items()
    }


def notice_from_json(data: dict[str, object]) -> Notice:
    """Rebuild the notice `notice_to_json` wrote."""
    values = dict(data)
    kind = cast(Kind, values.pop("kind"))
    plan = values.get("plan")
    if isinstance(plan, dict):
        # Values notice_to_json wrote from the same dataclasses: mypy cannot follow a dict back into fields.
        values["plan"] = PlanRef(**_dated(cast(dict[str, object], plan)))  # type: ignore[arg-type]  # see above
    return NOTICE_TYPES[kind](**_dated(values))  # type: ignore[arg-type]  # see above

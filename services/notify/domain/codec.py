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


class ReadBack:
    """Notices already read back from stored notifications, kept by the row they came from (its id and the
    moment it was written), most recent `limit` of them.

    A unit's inbox digest lists every notice of the plan grouped under it, and each batch of a city plan
    rewords it: without this, every batch read back and decoded all the members the earlier ones had stored,
    and a plan of eighty tasks (twenty batches) decoded each unit's notices about ten times over on average.
    A notification's notice never changes once written; the moment in the key tells a row written again
    under the same id (after a rolled-back batch, on a later day) from the one kept.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self._limit = limit
        self._kept: dict[tuple[str, object], Notice] = {}

    def get(self, row_id: str, written: object) -> Notice | None:
        """The notice of that row if it was read back before (`written`: its moment as the store gives it)."""
        return self._kept.get((row_id, written))

    def keep(self, row_id: str, written: object, data: dict[str, object]) -> Notice:
        """Decode a row's notice and keep it (the oldest kept goes once `limit` are)."""
        notice = notice_from_json(data)
        self._kept[(row_id, written)] = notice
        if len(self._kept) > self._limit:
            del self._kept[next(iter(self._kept))]
        return notice

    def __len__(self) -> int:
        return len(self._kept)

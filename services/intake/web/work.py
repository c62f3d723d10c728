"""The unit's work list, decided without I/O: how urgent each assignment is, the filters, the plan groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dondoc.kernel.status import status_label
from services.intake.queries import WorkItem

# The status filter's choices, in the words of the page.
STATUS_FILTERS = {
    "qua_han": "Quá hạn",
    "sap_den_han": "Sắp đến hạn",
    "chua_xong": "Chưa hoàn thành",
    "hoan_thanh": "Đã hoàn thành",
    "tra_lai": "Bị trả lại",
}
DUE_FILTERS = {
    "7": "Trong 7 ngày tới",
    "30": "Trong 30 ngày tới",
    "90": "Trong 90 ngày tới",
    "none": "Không có hạn",
}
_RANK = {"overdue": 0, "soon": 1, "returned": 2, "open": 3, "done": 4}


@dataclass(frozen=True)
class Sent:
    """The newest version a unit sent on an assignment, and what the compiler said of it."""

    version: int
    status: str  # dang_thuc_hien | hoan_thanh
    returned: bool
    note: str | None


@dataclass(frozen=True)
class Line:
    """One assignment as the work page shows it."""

    item: WorkItem
    urgency: str  # overdue | soon | returned | open | done
    days: int | None  # days overdue (overdue) or days left (otherwise); None without a due date
    sent: Sent | None

    @property
    def status_label(self) -> str:
        return status_label(self.item.status)


@dataclass(frozen=True)
class PlanGroup:
    plan_id: str
    number: str | None
    title: str
    lines: list[Line]


def judge(item: WorkItem, sent: Sent | None, today: date, soon_days: int) -> Line:
    """Overdue and due-soon come from today's date, not only tasks' last judgement (which trails a day)."""
    done = item.status.startswith("hoan_thanh") or (sent is not None and sent.status == "hoan_thanh")
    if sent is not None and sent.returned:
        done = False
    days = None if item.due is None else (item.due - today).days
    if done:
        urgency = "done"
    elif days is not None and days < 0:
        urgency = "overdue"
    elif days is not None and days <= soon_days:
        urgency = "soon"
    elif sent is not None and sent.returned:
        urgency = "returned"
    else:
        urgency = "open"
    return Line(item, urgency, None if days is None else abs(days), sent)


def keep(line: Line, status: str, role: str, due: str, today: date) -> bool:
    """Whether a line passes the page's filters (empty filter: everything)."""
    if role and line.item.role != role:
        return False
    if status == "qua_han" and line.urgency != "overdue":
        return False
    if status == "sap_den_han" and line.urgency != "soon":
        return False
    if status == "chua_xong" and line.urgency == "done":
        return False
    if status == "hoan_thanh" and line.urgency != "done":
        return False
    if status == "tra_lai" and not (line.sent and line.sent.returned):
        return False
    if due == "none":
        return line.item.due is None
    if due.isdigit():
        return line.item.due is not None and today <= line.item.due <= today + timedelta(days=int(due))
    return True


def group(lines: Iterable[Line]) -> list[PlanGroup]:
    """By plan, the plan with the most urgent line first; in a plan, overdue then due soon, then by date."""
    plans: dict[str, list[Line]] = {}
    for line in lines:
        plans.setdefault(line.item.plan_id, []).append(line)

    def order(line: Line) -> tuple[int, date, str, str]:
        return (_RANK[line.urgency], line.item.due or date.max, line.item.task_ref, line.item.unit)

    groups = []
    for plan_id, members in plans.items():
        members.sort(key=order)
        first = members[0].item
        groups.append(PlanGroup(plan_id, first.plan_number, first.plan_title, members))
    groups.sort(key=lambda g: (order(g.lines[0])[:2], g.title))
    return groups

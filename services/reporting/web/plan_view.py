"""The plan page at city scale: filters, a search, one page of the grid, overdue grouped by task and unit.

Pure: it reads the compiled Submission and the query's values; the route only parses and renders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dondoc.kernel.status import REPORTED_STATUSES
from services.reporting.domain import Submission, TaskStatus
from services.reporting.domain.units import KIND_LABELS, KIND_ORDER
from services.reporting.domain.vi import format_date
from services.reporting.web.views import STYLES, StatusStyle

ROWS_PER_PAGE = 20
SEARCH_MAX = 100
REPORT_FILTERS = {
    "ket-qua": "Chưa báo cáo kết quả nhiệm vụ",
    "dinh-ky": "Chưa gửi báo cáo định kỳ",
}


@dataclass(frozen=True, slots=True)
class Filters:
    """What the viewer asked to see; every value already checked against what the plan holds."""

    kind: str = ""
    status: str = ""
    task: str = ""
    report: str = ""
    q: str = ""
    page: int = 1

    def query(self, period: str | None, **changes: object) -> str:
        """The query string for this view with some values changed (the page goes back to 1 unless given)."""
        values: dict[str, object] = {
            "period": period or "all",
            "kind": self.kind,
            "status": self.status,
            "task": self.task,
            "report": self.report,
            "q": self.q,
            "page": 1,
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}
        return "?" + urlencode(kept)

    @property
    def active(self) -> bool:
        """True when anything narrows the grid."""
        return bool(self.kind or self.status or self.task or self.report or self.q)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The filters, and a message per field whose value could not be used (shown next to that field)."""

    filters: Filters
    errors: dict[str, str] = field(default_factory=dict)


def parse_filters(params: Mapping[str, str], sub: Submission) -> Parsed:
    """Check each value; an unusable one is dropped and explained, never a server error."""
    errors: dict[str, str] = {}
    kind = params.get("kind", "")
    if kind and kind not in KIND_LABELS:
        errors["kind"] = "Loại đơn vị không hợp lệ; hãy chọn trong danh sách."
        kind = ""
    status = params.get("status", "")
    if status and status not in REPORTED_STATUSES:
        errors["status"] = "Tình trạng không hợp lệ; hãy chọn trong danh sách."
        status = ""
    task = params.get("task", "")
    if task and task not in {t.ref for t in sub.tasks}:
        errors["task"] = f"Kế hoạch không có nhiệm vụ {task[:20]}; hãy chọn trong danh sách."
        task = ""
    report = params.get("report", "")
    if report and report not in REPORT_FILTERS:
        errors["report"] = "Lựa chọn không hợp lệ; hãy chọn trong danh sách."
        report = ""
    q = " ".join(params.get("q", "").split())
    if len(q) > SEARCH_MAX:
        errors["q"] = f"Từ khóa tìm kiếm dài quá {SEARCH_MAX} ký tự; hãy rút gọn."
        q = ""
    raw_page = params.get("page", "1") or "1"
    page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 7 else 0
    if page < 1:
        errors["page"] = "Số trang không hợp lệ; đang hiển thị trang 1."
        page = 1
    return Parsed(Filters(kind, status, task, report, q, page), errors)


def folded(text: str) -> str:
    """Lower case without diacritics, so "an bien" finds "An Biên" and "dong hai" finds "Đông Hải"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Cell:
    """One unit's standing on one task, as few bytes as a grid of thousands of cells can afford."""

    ref: str
    style: StatusStyle | None  # None: the unit has no part in this task
    reported: bool = True


@dataclass(frozen=True, slots=True)
class Row:
    """A unit across the tasks shown."""

    unit_code: str
    unit_name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """A task heading the grid, with its lead's status apart from the coordinating units' contributions."""

    ref: str
    title: str
    due: str
    standing: str = ""


@dataclass(frozen=True, slots=True)
class GridPage:
    """One page of the filtered grid, with how many units matched in all."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    matched: int
    total: int
    page: int
    pages: int
    per_page: int = ROWS_PER_PAGE

    @property
    def first(self) -> int:
        """The number of the first unit shown (1-based), 0 when none."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """The number of the last unit shown."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def grid_page(sub: Submission, filters: Filters, per_page: int = ROWS_PER_PAGE) -> GridPage:
    """The units that pass every filter, one page of them; a chosen task narrows the columns to it."""
    tasks = [t for t in sub.tasks if not filters.task or t.ref == filters.task]
    columns = tuple(Column(t.ref, t.title, format_date(t.due, "không thời hạn"), t.standing) for t in tasks)
    standing = {(u.unit_code, t.ref): u for t in tasks for u in t.units}
    missing = {r.unit_code for r in sub.reporting.by_unit if r.missing_periods}
    needle = folded(filters.q)
    matched = []
    total = 0
    for unit in sub.units:
        if not unit.results:
            continue
        total += 1
        code = unit.unit.code
        if filters.kind and unit.unit.kind != filters.kind:
            continue
        if needle and needle not in folded(unit.unit.name) and needle not in code.casefold():
            continue
        mine = [standing[(code, t.ref)] for t in tasks if (code, t.ref) in standing]
        if filters.task and not mine:
            continue
        if filters.status and not any(s.status.value == filters.status for s in mine):
            continue
        if filters.report == "ket-qua" and all(s.reported for s in mine):
            continue
        if filters.report == "dinh-ky" and code not in missing:
            continue
        matched.append(unit)
    pages = max(1, -(-len(matched) // per_page))
    page = min(filters.page, pages)
    shown = matched[(page - 1) * per_page : page * per_page]
    rows = []
    for unit in shown:
        cells = []
        for task in tasks:
            found = standing.get((unit.unit.code, task.ref))
            style = STYLES[found.status] if found else None
            cells.append(Cell(task.ref, style, found.reported if found else True))
        rows.append(Row(unit.unit.code, unit.unit.name, tuple(cells)))
    return GridPage(columns, tuple(rows), len(matched), total, page, pages, per_page)


@dataclass(frozen=True, slots=True)
class OverdueTask:
    """A task with units past its due date: how many, leads first by name."""

    ref: str
    title: str
    due: str
    leads: tuple[tuple[str, str], ...]  # (code, name)
    coordinating: int
    days_late: int

    @property
    def count(self) -> int:
        """Units overdue on the task."""
        return len(self.leads) + self.coordinating


@dataclass(frozen=True, slots=True)
class OverdueUnit:
    """A unit with overdue assignments, and on which tasks."""

    unit_code: str
    unit_name: str
    kind: str
    refs: tuple[str, ...]
    lead_refs: tuple[str, ...]


def overdue_by_task(sub: Submission) -> tuple[OverdueTask, ...]:
    """Tasks with overdue units, the longest overdue first."""
    found = []
    for task in sub.tasks:
        late = [u for u in task.units if u.status is TaskStatus.OVERDUE]
        if not late:
            continue
        leads = tuple((u.unit_code, u.unit_name) for u in late if u.role == "chu_tri")
        days = max(((sub.as_of - u.due).days for u in late if u.due), default=0)
        found.append(
            OverdueTask(task.ref, task.title, format_date(task.due), leads, len(late) - len(leads), days)
        )
    return tuple(sorted(found, key=lambda t: -t.days_late))


def overdue_by_unit(sub: Submission) -> tuple[OverdueUnit, ...]:
    """Units with overdue assignments, most first, then in report order."""
    found = []
    for unit in sub.units:
        late = [line for line in unit.results if line.status is TaskStatus.OVERDUE]
        if late:
            found.append(
                OverdueUnit(
                    unit.unit.code,
                    unit.unit.name,
                    KIND_LABELS[unit.unit.kind],
                    tuple(line.task_ref for line in late),
                    tuple(line.task_ref for line in late if line.role == "chu_tri"),
                )
            )
    return tuple(sorted(found, key=lambda u: -len(u.refs)))


KIND_CHOICES = tuple((kind, KIND_LABELS[kind]) for kind in KIND_ORDER)

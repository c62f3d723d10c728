"""The document-level arbiter: where a plan's tasks come from, and a warning for what it could not read.

Evidence decides, not headings: task-table rows and labelled blocks are owned tasks; when a plan has them, its
per-agency duties and unowned body items are not emitted again. Otherwise duties listed under agency headings
(at any level) are the tasks; only a plan that assigns nothing by name gets its content items, without owners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Table, clean
from .clauses import partners, subject_of
from .duties import UNIT_START, agency_lists, is_general, unit_and_duty
from .outline import Node
from .outline_tasks import NON_TASK, section_kind, section_tasks
from .sentence_time import time_in_sentence
from .table_tasks import Header, table_tasks
from .task_fields import RawTask
from .unit_split import split_units

_CAPTION_TIME = re.compile(r"(?:đến|tới)\s+(?:hết\s+)?năm\s+(?:19|20)\d\d", re.IGNORECASE)


@dataclass
class TaskTable:
    """A task table and the paragraphs just before it (its caption)."""

    table: Table
    caption: list[str] = field(default_factory=list)
    header: Header | None = None


@dataclass
class Found:
    """What the arbiter chose: the raw tasks, the sections reporting duties are read from, and warnings."""

    tasks: list[RawTask]
    sections: list[Node]
    warnings: list[str]


def arbitrate(outline: Node, tables: list[TaskTable]) -> Found:
    """Pick the tasks of a plan from its tables, labelled blocks, agency lists or, failing all, its items."""
    warnings: list[str] = []
    rows: list[RawTask] = []
    for k, task_table in enumerate(tables, start=1):
        rows.extend(
            table_tasks(
                task_table.table, "PL" if k == 1 else f"PL{k}", _caption_time(task_table), task_table.header
            )
            or []
        )
    sections = [n for n in outline.children if n.kind == "roman"] or [outline]
    labelled: list[RawTask] = []
    unowned: list[RawTask] = []
    assigned: list[RawTask] = []
    by_list = 0
    for section in sections:
        kind = section_kind(section.text) if section is not outline else "tasks"
        prefix = section.number
        if kind in NON_TASK:
            continue  # objectives, scope, award rules, forecasts: never tasks, whoever they name
        listed = agency_lists(section, prefix)
        assigned.extend(listed)
        by_list += len(listed)
        if kind == "organization":
            assigned.extend(_sentences(section, prefix, assigned))
        if kind != "tasks":
            continue
        found = section_tasks(section, prefix)
        points_away = tables and re.search(r"phụ lục", section.text, re.IGNORECASE)
        if not found and section is not outline and not section.children and not points_away:
            warnings.append(
                f"Không đọc được cấu trúc của mục {section.number} “{_short(section.text)}”; "
                "vui lòng kiểm tra và bổ sung nhiệm vụ (nếu có) bằng tay."
            )
        for task in found:
            (labelled if _owned(task) else unowned).append(task)
    general = [t for t in assigned if is_general(t.title)]
    assigned = [t for t in assigned if t not in general and not _inside(t, labelled)]
    if general:
        refs = ", ".join(t.ref for t in general)
        warnings.append(
            f"Các điều khoản chung ({refs}) chỉ nhắc lại việc tổ chức thực hiện hoặc chế độ báo cáo "
            "của kế hoạch nên không được tính là nhiệm vụ; vui lòng kiểm tra lại."
        )
    if rows or labelled:
        tasks = rows + labelled
    elif by_list or len(assigned) >= 2:
        tasks = assigned
    else:
        tasks = [_subject_owned(t) for t in unowned]
    if not tasks and any(len(p.text) > 3000 for p in outline.walk()):
        warnings.append(
            "Văn bản có đoạn rất dài không chia mục (có thể là trang web lưu lại); "
            "không đọc được nhiệm vụ từ đoạn này."
        )
    return Found(tasks=tasks, sections=sections, warnings=warnings)


def _subject_owned(task: RawTask) -> RawTask:
    """ "Các sở, ngành có trách nhiệm …": an item without labels whose subject is a unit has that unit."""
    subject, rest = subject_of(task.title)
    if not subject or not rest or not UNIT_START.match(subject) or not split_units(subject):
        return task
    task.lead = subject
    task.coordinating = "; ".join(partners(rest)) or None
    task.timeframe = time_in_sentence(rest)
    return task


def _owned(task: RawTask) -> bool:
    return bool(task.lead or task.coordinating or task.output or task.timeframe)


def _inside(task: RawTask, labelled: list[RawTask]) -> bool:
    """A duty the labelled blocks already carry (the same block read twice) is not emitted again."""
    return any(task.ref == t.ref or task.ref.startswith(t.ref + ".") for t in labelled)


def _sentences(section: Node, prefix: str, taken: list[RawTask]) -> list[RawTask]:
    """ "Giao X theo dõi ...", "Phòng X có trách nhiệm ...": sentences whose subject is a unit with a duty."""
    out: list[RawTask] = []
    for k, child in enumerate(section.children, start=1):
        number = child.number if child.kind in ("num", "subnum", "letter") else str(k)
        ref = f"{prefix}.{number}"
        if any(t.ref == ref or t.ref.startswith(ref + ".") for t in taken):
            continue
        pair = unit_and_duty(child.text)
        if pair and pair[1]:
            duty = pair[1].rstrip(" .;")
            out.append(RawTask(ref=ref, title=duty[:1].upper() + duty[1:], lead=pair[0]))
    return out


def _caption_time(task_table: TaskTable) -> str | None:
    """A caption's date ("... ĐẾN NĂM 2030") scopes a table that has no time column."""
    for text in reversed(task_table.caption):
        m = _CAPTION_TIME.search(text)
        if m:
            return clean(m[0])
    return None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


__all__ = ["NON_TASK", "Found", "TaskTable", "arbitrate"]

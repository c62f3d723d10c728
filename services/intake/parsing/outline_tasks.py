"""Tasks written in the body: labelled blocks, lettered blocks and narrative items without a lead."""

from __future__ import annotations

import re
from typing import Literal

from .labels import Role, read_labelled
from .outline import Node
from .sentence_time import time_in_sentence
from .task_fields import RawTask

SectionKind = Literal[
    "purpose", "tasks", "organization", "budget", "reporting", "scope", "awards", "forecast"
]
# Sections that are known not to assign work: objectives, scope, criteria and awards, forecasts, assessments.
NON_TASK: tuple[SectionKind, ...] = ("purpose", "scope", "awards", "forecast")

_SECTION_CUES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    ("purpose", re.compile(r"mục đích|yêu cầu|quan điểm|mục tiêu|căn cứ|chỉ tiêu", re.I)),
    ("scope", re.compile(r"phạm vi|đối tượng|thời gian thực hiện", re.I)),
    ("awards", re.compile(r"khen thưởng|tiêu chuẩn|tiêu chí|hình thức|thủ tục|hồ sơ|quy trình", re.I)),
    ("forecast", re.compile(r"dự báo|tình hình|đánh giá|kết quả đạt được|lộ trình", re.I)),
    ("organization", re.compile(r"tổ chức thực hiện|trách nhiệm|phân công", re.I)),
    ("budget", re.compile(r"kinh phí", re.I)),
    ("reporting", re.compile(r"báo cáo|thông tin", re.I)),
)
_FIELDS: tuple[Role, ...] = ("lead", "coordinating", "output", "timeframe")
_ITEM_KINDS = ("num", "subnum", "letter")


def section_kind(heading: str) -> SectionKind:
    """What a Roman section is for, judged by its heading."""
    for kind, pattern in _SECTION_CUES:
        if pattern.search(heading) and not re.search(r"nhiệm vụ|nội dung|giải pháp", heading, re.I):
            return kind
    return "tasks"


def labelled_fields(node: Node) -> dict[Role, str]:
    """The labelled lines directly under a node ("- Cơ quan chủ trì: ..."), a label's sub-bullets included."""
    fields: dict[Role, str] = {}
    for child in node.children:
        found = read_labelled(child.text)
        if found is None:
            continue
        role, value = found
        if not value and child.children:
            sub = labelled_fields(child)
            # A container label: "Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" / "- Đơn vị phối hợp: …".
            if sub:
                for sub_role, sub_value in sub.items():
                    fields.setdefault(sub_role, sub_value)
                continue
            value = "; ".join(c.text.rstrip(" .;") for c in child.children)
        if value and role not in fields:
            fields[role] = value
    return fields


def section_tasks(section: Node, prefix: str) -> list[RawTask]:
    """Tasks under one task section, labelled where the document labels them, narrative otherwise."""
    items = [c for c in section.children if c.kind in _ITEM_KINDS]
    if not items:
        items = [c for c in section.children if c.kind == "bullet"]
    return [task for item in items for task in _item_tasks(item, prefix, None)]


def _item_tasks(item: Node, prefix: str, group: str | None, number: str | None = None) -> list[RawTask]:
    ref = f"{prefix}.{number or item.number}" if prefix else number or item.number
    fields = labelled_fields(item)
    if any(role in fields for role in _FIELDS):
        return [_raw(ref, item.text, group, fields)]
    subs = [c for c in item.children if c.kind in _ITEM_KINDS]
    if not subs or not any(_has_labels(s) for s in subs):
        subs = [c for c in item.children if c.kind in ("bullet", "plus")]  # label blocks under "- …" bullets
    if subs and any(_has_labels(s) for s in subs):
        shared = _trailing_labels(subs)
        out: list[RawTask] = []
        for k, sub in enumerate(subs, start=1):
            sub_number = sub.number if sub.kind in _ITEM_KINDS else str(k)
            if shared and not _has_labels(sub):
                out.append(_raw(f"{ref}.{sub_number}", sub.text, _title(item.text), shared))
            else:
                out.extend(_item_tasks(sub, ref, _title(item.text), sub_number))
        return out
    return [RawTask(ref=ref, title=_title(item.text), group=group)]


def _trailing_labels(subs: list[Node]) -> dict[Role, str]:
    """One label block after several sub-items, when only the last carries labels, covers them all."""
    labelled = [s for s in subs if _has_labels(s)]
    if len(subs) > 1 and labelled == subs[-1:]:
        fields = labelled_fields(subs[-1])
        return {r: v for r, v in fields.items() if r in ("lead", "coordinating", "timeframe")}
    return {}


def _has_labels(node: Node) -> bool:
    return any(role in labelled_fields(node) for role in _FIELDS) or any(
        _has_labels(c) for c in node.children
    )


_PLACEHOLDER = re.compile(r"^(?:Hoạt động|Nhiệm vụ|Nội dung|Công việc|Nhóm nhiệm vụ)\s*(?:số\s*)?\d+$", re.I)


def _raw(ref: str, heading: str, group: str | None, fields: dict[Role, str]) -> RawTask:
    title = _title(heading)
    if (not title or _PLACEHOLDER.match(title)) and fields.get("content"):
        title = fields["content"]  # "Hoạt động 1" is a placeholder: the task is what its "Nội dung:" says
    return RawTask(
        ref=ref,
        title=title,
        group=group,
        lead=fields.get("lead"),
        coordinating=fields.get("coordinating"),
        output=fields.get("output"),
        timeframe=fields.get("timeframe") or time_in_sentence(title),
    )


def _title(text: str) -> str:
    return text.strip().rstrip(" .:;")

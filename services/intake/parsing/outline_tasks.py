"""Tasks written in the body: labelled blocks, lettered blocks and narrative items without a lead."""

from __future__ import annotations

import re
from typing import Literal

from .labels import Role, read_labelled
from .outline import Node
from .task_fields import RawTask

SectionKind = Literal["purpose", "tasks", "organization", "budget", "reporting"]

_SECTION_CUES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    ("purpose", re.compile(r"mục đích|yêu cầu|quan điểm|mục tiêu|căn cứ", re.I)),
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


def _item_tasks(item: Node, prefix: str, group: str | None) -> list[RawTask]:
    ref = f"{prefix}.{item.number}" if prefix else item.number
    fields = labelled_fields(item)
    if any(role in fields for role in _FIELDS):
        return [_raw(ref, item.text, group, fields)]
    subs = [c for c in item.children if c.kind in _ITEM_KINDS]
    if subs and any(_has_labels(s) for s in subs):
        return [t for s in subs for t in _item_tasks(s, ref, _title(item.text))]
    return [RawTask(ref=ref, title=_title(item.text), group=group)]


def _has_labels(node: Node) -> bool:
    return any(role in labelled_fields(node) for role in _FIELDS) or any(
        _has_labels(c) for c in node.children
    )


def _raw(ref: str, heading: str, group: str | None, fields: dict[Role, str]) -> RawTask:
    title = _title(heading) or fields.get("content", "")
    return RawTask(
        ref=ref,
        title=title,
        group=group,
        lead=fields.get("lead"),
        coordinating=fields.get("coordinating"),
        output=fields.get("output"),
        timeframe=fields.get("timeframe"),
    )


def _title(text: str) -> str:
    return text.strip().rstrip(" .:;")

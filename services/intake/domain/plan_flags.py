"""A parsed draft's review flags: which are open, which a change made stale, which were checked (pure)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

_FIELD_WORDS = {
    "title": "nội dung",
    "lead": "đơn vị chủ trì",
    "coordinating": "đơn vị phối hợp",
    "output": "sản phẩm",
    "timeframe": "thời hạn",
}


def listed(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _tasks(content: dict[str, object]) -> dict[str, dict[str, object]]:
    return {str(t["ref"]): t for t in listed(content.get("tasks")) if isinstance(t, dict)}


def open_flags(draft: dict[str, object] | None, content: dict[str, object]) -> list[dict[str, object]]:
    """Flags a person must still look at: on tasks the plan still has, fields not changed since parsing."""
    if not draft:
        return []
    present = _tasks(content)
    flags: list[dict[str, object]] = []
    for task in listed(draft.get("tasks")):
        if task.get("review") and str(task["ref"]) in present:
            flags.append({"ref": str(task["ref"]), "fields": list(task["review"])})
    return flags


def without_stale(
    draft: dict[str, object] | None, before: dict[str, object], after: dict[str, object]
) -> dict[str, object] | None:
    """The draft with the flags a person's change answered removed: a flagged field they edited, or a task
    they dropped, split or merged away, no longer asks to be looked at (the change is their judgement)."""
    if not draft:
        return draft
    old, new = _tasks(before), _tasks(after)
    kept = copy.deepcopy(draft)
    for task in listed(kept.get("tasks")):
        ref = str(task["ref"])
        if not task.get("review"):
            continue
        if ref not in new:
            task["review"] = []
            continue
        was, now = old.get(ref, {}), new[ref]
        task["review"] = [f for f in task["review"] if was.get(f) == now.get(f)]
    return kept


def unchecked(flags: Sequence[dict[str, object]], checked: Sequence[str]) -> list[dict[str, object]]:
    """The open flags the person did not mark as checked."""
    marked = set(checked)
    return [f for f in flags if f["ref"] not in marked]


def describe(flag: dict[str, object]) -> str:
    """One flag in words: which task, which fields."""
    fields = ", ".join(_FIELD_WORDS.get(str(f), str(f)) for f in listed(flag["fields"]))
    return f"Nhiệm vụ {flag['ref']}: cần kiểm tra {fields}"


def settled(draft: dict[str, object] | None) -> dict[str, object] | None:
    """The draft once confirmed: its flags were checked (and audited) or changed, none stays open."""
    if not draft:
        return draft
    kept = copy.deepcopy(draft)
    for task in listed(kept.get("tasks")):
        task["review"] = []
    return kept

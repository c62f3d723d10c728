"""The cascade: a ward plan's tasks linked to the city plan tasks they carry out."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import delete
from sqlmodel import col, select

from dondoc.platform.uow import UnitOfWork
from services.tasks.models import PlanCopy, TaskLink


@dataclass(frozen=True)
class Link:
    """One ward task → city task link; `flagged` when guessed from the titles (a person should check)."""

    task_ref: str
    task_title: str
    parent_task_ref: str
    method: str
    score: float
    flagged: bool


def fold(text: str) -> str:
    """Lower-case, no diacritics or punctuation: "Tăng cường truyền thông" → "tang cuong truyen thong"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in bare.lower()).split())


def similarity(a: str, b: str) -> float:
    """How alike two task titles read (0–1), on folded words."""
    return SequenceMatcher(None, fold(a).split(), fold(b).split()).ratio()


def match_tasks(
    children: Sequence[Mapping[str, object]], parents: Sequence[Mapping[str, object]], threshold: float
) -> list[Link]:
    """Link each child task to the parent task it names, else to the most similar title over `threshold`."""
    parent_titles = {str(p["ref"]): str(p["title"]) for p in parents}
    links: list[Link] = []
    for child in children:
        ref, title = str(child["ref"]), str(child["title"])
        named = child.get("implements_task_ref")
        if isinstance(named, str) and named in parent_titles:
            links.append(Link(ref, title, named, "explicit", 1.0, False))
            continue
        scored = sorted(((similarity(title, t), r) for r, t in parent_titles.items()), reverse=True)
        if scored and scored[0][0] >= threshold:
            links.append(Link(ref, title, scored[0][1], "similarity", round(scored[0][0], 3), True))
    return links


def _tasks(copy: PlanCopy) -> list[dict[str, object]]:
    tasks = copy.content.get("tasks", [])
    return [t for t in tasks if isinstance(t, dict)] if isinstance(tasks, list) else []


async def _relink(uow: UnitOfWork, child: PlanCopy, parent: PlanCopy, threshold: float) -> None:
    await uow.session.execute(delete(TaskLink).where(col(TaskLink.plan_id) == child.plan_id))
    for link in match_tasks(_tasks(child), _tasks(parent), threshold):
        uow.session.add(
            TaskLink(
                plan_id=child.plan_id,
                task_ref=link.task_ref,
                unit=child.issuer_unit,
                task_title=link.task_title,
                parent_plan_id=parent.plan_id,
                parent_task_ref=link.parent_task_ref,
                method=link.method,
                score=link.score,
                flagged=link.flagged,
            )
        )


async def link_plan(uow: UnitOfWork, copy: PlanCopy, threshold: float) -> None:
    """Link this plan to the plan it implements, and the plans implementing it (whichever came first)."""
    session = uow.session
    if copy.implements_plan_id:
        parent = await session.get(PlanCopy, copy.implements_plan_id)
        if parent is not None:
            await _relink(uow, copy, parent, threshold)
    query = select(PlanCopy).where(col(PlanCopy.implements_plan_id) == copy.plan_id)
    for child in (await session.exec(query)).all():
        await _relink(uow, child, copy, threshold)

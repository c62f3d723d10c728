"""Task references within a plan ("II.1", "3", "PL.2"): how they are made unique, and when they clash.

A plan may repeat a ref or leave one blank. Events, assignment ids and the city's report name a task by
its *unique* ref: the ref as written the first time, "II.1#2" the second time, "#3" for a blank ref at
position 3. intake refuses a plan whose refs repeat (people must fix the numbering); a plan that still
carries one (an older or a parsed plan) is numbered by this same rule everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def unique_refs(refs: Iterable[str]) -> list[str]:
    """The refs of a plan's tasks, in order, made unique ("II.1", "II.1#2"; "#3" for a blank one)."""
    seen: dict[str, int] = {}
    unique: list[str] = []
    for position, written in enumerate(refs, start=1):
        ref = written.strip() or f"#{position}"
        seen[ref] = seen.get(ref, 0) + 1
        unique.append(ref if seen[ref] == 1 else f"{ref}#{seen[ref]}")
    return unique


@dataclass(frozen=True, slots=True)
class RepeatedRef:
    """A ref written again: the task's index (from 0) and the index of the task that had it first."""

    index: int
    ref: str
    first: int


def repeated_refs(refs: Iterable[str]) -> list[RepeatedRef]:
    """Every ref (trimmed) that an earlier task of the same plan already has."""
    first: dict[str, int] = {}
    found: list[RepeatedRef] = []
    for index, written in enumerate(refs):
        ref = written.strip()
        if ref in first:
            found.append(RepeatedRef(index, ref, first[ref]))
        first.setdefault(ref, index)
    return found

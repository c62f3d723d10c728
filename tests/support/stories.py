"""Random stories of one assignment's results, for the tests that judge them more than one way.

A story is versions sent by the ward, its Văn phòng or another office (which may not report on the ward's
assignment), each done on time, done late, dated in the future or still in progress, and versions accepted
or returned by a compiler. The tests tell the same story to tasks and reporting, or to tasks in batches and
one event at a time, and compare what each judged on TODAY against DUE.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from shared.events import Event, PlanTask, ResultSubmitted, SubmissionReviewed, Timeframe, UnitRef

WARD, VP, OFFICE = "11407", "11407.VP", "11407.VHXH"
DUE, TODAY = date(2026, 11, 10), date(2026, 11, 20)
T0 = datetime(2026, 11, 1, 2, tzinfo=UTC)
Step = tuple[str, str, int, date | None]  # (send|accept|return, sender, version, completed_on)


def story(rng: random.Random, least: int = 1, most: int = 9) -> list[Step]:
    """Between `least` and `most` steps; the first is always a version sent."""
    steps: list[Step] = []
    sent = 0
    for _ in range(rng.randint(least, most)):
        kind = rng.choice(["send", "send", "accept", "return"])
        if kind == "send" or sent == 0:
            sent += 1
            done = rng.choice(
                [None, DUE - timedelta(days=3), DUE + timedelta(days=4), TODAY + timedelta(days=9)]
            )
            steps.append(("send", rng.choice([WARD, WARD, VP, OFFICE]), sent, done))
        else:
            steps.append((kind, "", rng.randint(1, sent), None))
    return steps


def story_events(steps: list[Step], assignment_id: str, result_id: Callable[[int], str]) -> list[Event]:
    """The story as the events tasks hears, a minute apart: each version's result, each decision on one."""
    events: list[Event] = []
    for minute, (kind, sender, version, done) in enumerate(steps):
        at = T0 + timedelta(minutes=minute)
        if kind == "send":
            events.append(
                ResultSubmitted(
                    result_id=result_id(version),
                    assignment_id=assignment_id,
                    unit=sender,
                    version=version,
                    status="hoan_thanh" if done else "dang_thuc_hien",
                    completed_on=done,
                    output=f"Văn bản {version}",
                    submitted_at=at,
                )
            )
        else:
            events.append(
                SubmissionReviewed(
                    kind="result",
                    item_id=result_id(version),
                    version=version,
                    unit=WARD,
                    decision="accepted" if kind == "accept" else "returned",
                    reviewed_at=at,
                )
            )
    return events


def ward_tasks(refs: list[str]) -> list[PlanTask]:
    """A plan's tasks, each led by the ward and due on DUE: one assignment per story."""
    return [
        PlanTask(
            ref=ref,
            title=f"Nhiệm vụ {ref}",
            lead=[UnitRef(text="UBND phường An Biên", unit=WARD)],
            timeframe=Timeframe(kind="deadline", due=DUE),
        )
        for ref in refs
    ]

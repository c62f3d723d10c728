"""Results and reviews handled in batches judge every assignment as they do one event at a time.

A batch of results loads its assignments and the versions that can count once (`prefetch_results`) and
keeps them current as it records its own versions; a review in the same batch makes the results after it
read the store again. The same stories (versions sent by the ward, its Văn phòng or another office,
accepted or returned, some reviews before their result, some results delivered twice under new envelopes)
go to two plans of one store: one in random batches, one event at a time. After each batch both must
judge alike, and the batches must never fall back to one event at a time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import col, select

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.consumer import Outcome
from services.tasks.app import create_app
from services.tasks.models import Assignment
from shared.events import Event, ResultSubmitted, SubmissionReviewed
from tests.support.batches import Batches, batches_of
from tests.support.stories import TODAY, Step, story, story_events, ward_tasks
from tests.support.tasks import plan, settings

pytestmark = pytest.mark.integration
REFS = [str(n) for n in range(1, 11)]
SEEDS = (2604, 11, 12, 13)


def stories(rng: random.Random) -> dict[str, list[Step]]:
    return {ref: story(rng, least=2, most=12) for ref in REFS}


def events_of(plan_id: str, ids: dict[str, str], told: dict[str, list[Step]]) -> dict[str, list[Event]]:
    """Each task's story as events about the plan's assignment (one result id, versions 1, 2, …)."""
    return {ref: story_events(steps, ids[ref], _one_id(f"r-{plan_id}-{ref}")) for ref, steps in told.items()}


def _one_id(result_id: str) -> Callable[[int], str]:
    return lambda _version: result_id


def interleaved(rng: random.Random, per_task: dict[str, list[Event]]) -> list[Event]:
    """The tasks' events mixed, each task's in its own order, with a review now and then moved ahead of
    its result and a result now and then delivered again later."""
    queues = {ref: list(events) for ref, events in per_task.items()}
    for events in queues.values():
        for i, event in enumerate(events):
            if isinstance(event, SubmissionReviewed) and rng.random() < 0.5:
                first = next(
                    j
                    for j, e in enumerate(events)
                    if isinstance(e, ResultSubmitted) and e.version == event.version
                )
                if first < i:
                    events.insert(first, events.pop(i))
        for event in [e for e in events if isinstance(e, ResultSubmitted) and rng.random() < 0.3]:
            events.insert(rng.randint(events.index(event) + 1, len(events)), event)
    out: list[Event] = []
    while any(queues.values()):
        ref = rng.choice([r for r, q in queues.items() if q])
        out.append(queues[ref].pop(0))
    return out


async def statuses(batches: Batches, plan_id: str) -> dict[str, tuple[str, date | None]]:
    async with batches.uow() as uow:
        query = select(Assignment).where(col(Assignment.plan_id) == plan_id)
        return {r.task_ref: (r.status, r.completed_on) for r in (await uow.session.exec(query)).all()}


@pytest.mark.parametrize("review_required", [False, True], ids=["on-arrival", "reviews-required"])
async def test_results_in_batches_judge_as_one_event_at_a_time(
    database_url: str, caplog: pytest.LogCaptureFixture, review_required: bool
) -> None:
    tasks = ward_tasks(REFS)
    configured = settings("127.0.0.1:9", database_url).model_copy(update={"review_required": review_required})
    app = create_app(configured, clock=ShiftedClock.on(TODAY))
    seen: set[str] = set()
    async with batches_of(app.spec, database_url, caplog) as batches:
        for seed in SEEDS:  # a few small worlds: many events of one assignment share a batch
            rng = random.Random(seed)
            told = stories(rng)
            ids: dict[str, dict[str, str]] = {}
            for plan_id in (f"alone-{seed}", f"batched-{seed}"):
                assert await batches.handle([plan(tasks, plan_id=plan_id)]) == [Outcome.OK]
                async with batches.uow() as uow:
                    query = select(Assignment).where(col(Assignment.plan_id) == plan_id)
                    ids[plan_id] = {r.task_ref: r.id for r in (await uow.session.exec(query)).all()}
            alone = interleaved(random.Random(seed), events_of(f"alone-{seed}", ids[f"alone-{seed}"], told))
            batched = interleaved(
                random.Random(seed), events_of(f"batched-{seed}", ids[f"batched-{seed}"], told)
            )
            while batched:  # the same events cut the same way: after each batch, the same judgements
                size = rng.randint(2, 16)
                for event in alone[:size]:
                    assert await batches.handle([event]) == [Outcome.OK]
                assert await batches.handle(batched[:size]) == [Outcome.OK] * len(batched[:size])
                judged = await statuses(batches, f"alone-{seed}")
                assert await statuses(batches, f"batched-{seed}") == judged, f"seed {seed}"
                seen |= {status for status, _ in judged.values()}
                alone, batched = alone[size:], batched[size:]
        assert not batches.fell_back(), "a batch was handled again one event at a time"
    assert len(seen) >= 3  # the stories reach done on time, done late and overdue

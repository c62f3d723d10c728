"""Tasks and reporting say the same status after any sequence of results, returns and accepts.

Both services' real handlers on their real stores (SQLite, migrated), fed the same story: versions sent
by the ward, its Văn phòng or another office, then accepted or returned by a compiler. The expected
status is worked out by the test from the story alone.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from dondoc.kernel.clock import FixedClock, ShiftedClock
from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.runtime import ServiceSpec
from dondoc.platform.uow import UnitOfWork
from services.reporting.app import SPEC as REPORTING_SPEC
from services.reporting.consumers import SUBSCRIPTIONS as REPORTING
from services.reporting.context import ReportingContext
from services.reporting.models import Review
from services.reporting.queries import load_inputs
from services.reporting.settings import ReportingSettings
from services.reporting.use_cases.generation import Scope, compile_scope
from services.tasks.app import MIGRATIONS as TASKS_MIGRATIONS
from services.tasks.consumers import SUBSCRIPTIONS
from services.tasks.context import build_context
from services.tasks.directory import load_unit_directory
from services.tasks.models import PLATFORM, Assignment, ResultRecord, metadata
from services.tasks.settings import TasksSettings
from shared.envelope import Envelope, wrap
from shared.events import (
    Event,
    PlanReceived,
    ResultSubmitted,
    SubmissionReviewed,
    TaskAssigned,
    Timeframe,
    UnitRef,
)
from tests.support.stories import DUE, TODAY, VP, WARD, Step, story, story_events, ward_tasks

STORIES = 40


def expected_status(steps: list[Step], review_required: bool) -> str:
    """The story told by hand: sends by the ward or its Văn phòng (unless reviews are required) and
    acceptances put a version forward, a return takes it out until accepted again; the newest still in
    counts, judged on TODAY against DUE."""
    forward: list[int] = []
    out: set[int] = set()
    done_on: dict[int, date | None] = {}
    for kind, sender, version, done in steps:
        if kind == "send":
            if sender in (WARD, VP):
                done_on[version] = done
                if not review_required:
                    forward.append(version)
        elif version in done_on and kind == "accept":
            out.discard(version)
            forward.append(version)
        elif version in done_on:
            out.add(version)
    counted = next((v for v in reversed(forward) if v not in out), None)
    done = done_on.get(counted) if counted else None
    if done is not None and done <= TODAY:
        return "hoan_thanh_dung_han" if done <= DUE else "hoan_thanh_qua_han"
    return "qua_han_chua_hoan_thanh"  # due 10/11, judged 20/11


def _events(steps: list[Step], ref: str, assignment_id: str) -> tuple[list[Event], list[Event], list[Review]]:
    """The same story as each service hears it: tasks the events, reporting the events and its own reviews."""
    told = story_events(steps, assignment_id, lambda version: f"r-{ref}-{version}")
    shared = [e for e in told if isinstance(e, ResultSubmitted)]
    to_tasks = [e for e in told if isinstance(e, SubmissionReviewed)]
    reviews = {  # reporting keeps the latest decision on each version
        e.version: Review(
            kind="result",
            item_id=e.item_id,
            version=e.version,
            decision=e.decision,
            reviewer_key="k",
            reviewed_at=e.reviewed_at,
        )
        for e in to_tasks
    }
    return list(shared), list(to_tasks), list(reviews.values())


@pytest.mark.parametrize("review_required", [False, True], ids=["on-arrival", "reviews-required"])
async def test_tasks_and_reporting_agree_on_every_assignment_after_any_story(
    tmp_path: Path, review_required: bool
) -> None:
    rng = random.Random(1414)
    stories = [story(rng) for _ in range(STORIES)]
    refs = [str(n + 1) for n in range(STORIES)]
    plan = PlanReceived(
        plan_id="kh-status",
        title="Kế hoạch thử trạng thái",
        issuer=UnitRef(text="UBND thành phố Hải Phòng", unit="HP"),
        tasks=ward_tasks(refs),
    )
    tasks_url, reporting_url = f"sqlite:///{tmp_path}/tasks.db", f"sqlite:///{tmp_path}/reporting.db"
    ctx = build_context(
        TasksSettings(database_url=tasks_url, review_required=review_required),
        load_unit_directory(None),
        ShiftedClock.on(TODAY),
    )
    tasks_spec = ServiceSpec("tasks", metadata, PLATFORM, TASKS_MIGRATIONS, SUBSCRIPTIONS.bind(ctx))
    migrations.upgrade(TASKS_MIGRATIONS, tasks_url)
    migrations.upgrade(REPORTING_SPEC.migrations, reporting_url)
    tasks_engine, reporting_engine = create_engine(tasks_url), create_engine(reporting_url)
    tasks_sessions, reporting_sessions = session_factory(tasks_engine), session_factory(reporting_engine)

    async def to_tasks(event: Event) -> None:
        envelope: Envelope = wrap(event, source="test", correlation_id="c")
        async with UnitOfWork(tasks_sessions, tasks_spec.tables, "tasks") as uow:
            await tasks_spec.subscriptions[envelope.topic](uow, envelope)
            await uow.commit()

    async def to_reporting(event: Event) -> None:
        envelope = wrap(event, source="test", correlation_id="c")
        async with UnitOfWork(reporting_sessions, REPORTING_SPEC.tables, "reporting") as uow:
            await REPORTING.bind(None)[envelope.topic](uow, envelope)
            await uow.commit()

    try:
        await to_tasks(plan)
        await to_reporting(plan)
        async with tasks_sessions() as session:
            rows = {r.task_ref: r for r in (await session.exec(select(Assignment))).all()}
        assert sorted(rows) == sorted(refs)
        for ref, steps in zip(refs, stories, strict=True):
            row = rows[ref]
            await to_reporting(
                TaskAssigned(
                    assignment_id=row.id,
                    plan_id=plan.plan_id,
                    plan_version=1,
                    plan_title=plan.title,
                    task_ref=ref,
                    task_title=f"Nhiệm vụ {ref}",
                    unit=WARD,
                    unit_name="UBND phường An Biên",
                    role="chu_tri",
                    timeframe=Timeframe(kind="deadline", due=DUE),
                )
            )
            shared, reviewed, reviews = _events(steps, ref, row.id)
            for event in shared:
                await to_tasks(event)
                await to_reporting(event)
            for event in reviewed:
                await to_tasks(event)
            for event in shared:  # redelivered under new envelopes: each version is recorded once
                await to_tasks(event)
            async with reporting_sessions() as session:
                for review in reviews:
                    session.add(review)
                await session.commit()
        async with tasks_sessions() as session:
            said_by_tasks = {
                r.task_ref: r.status
                for r in (
                    await session.exec(select(Assignment).where(col(Assignment.plan_id) == plan.plan_id))
                ).all()
            }
            recorded = len((await session.exec(select(ResultRecord))).all())
        assert recorded == sum(1 for steps in stories for step in steps if step[0] == "send")
        async with reporting_sessions() as session:
            inputs = await load_inputs(
                session,
                ReportingContext(ReportingSettings(review_required=review_required), FixedClock.on(TODAY)),
                plan.plan_id,
            )
        assert inputs is not None
        sub = compile_scope(inputs, Scope(plan.plan_id, None, date(2026, 1, 1), TODAY, TODAY))
        said_by_reporting = {t.ref: t.units[0].status.value for t in sub.tasks}
        expected = {
            ref: expected_status(steps, review_required) for ref, steps in zip(refs, stories, strict=True)
        }
        assert said_by_reporting == expected
        assert said_by_tasks == expected
        assert len(set(expected.values())) >= 3  # the stories reach done on time, done late and overdue
    finally:
        await tasks_engine.dispose()
        await reporting_engine.dispose()

"""The door's one look-up for a result (ADR 0118): the assignee and the newest result version together."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from services.intake import models, queries
from services.intake.models import ReplicaAssignment, ResultRecord

pytestmark = pytest.mark.integration
MIGRATIONS = Path(models.__file__).parent / "migrations"


def assignment(assignment_id: str, *, task_ref: str = "1", withdrawn: bool = False) -> ReplicaAssignment:
    return ReplicaAssignment(
        assignment_id=assignment_id,
        plan_id="p-1",
        task_ref=task_ref,
        unit="11407.vp",
        unit_name="Văn phòng HĐND và UBND",
        withdrawn=withdrawn,
        updated_at=datetime.now(UTC),
    )


def result(assignment_id: str, version: int) -> ResultRecord:
    return ResultRecord(
        id=f"{assignment_id}-{version}",
        assignment_id=assignment_id,
        unit="11407.vp",
        version=version,
        content={},
        submitted_by="k-ward",
        submitted_at=datetime.now(UTC),
    )


async def test_the_assignee_comes_with_the_newest_result_version_of_its_assignment(database_url: str) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, database_url)
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            session.add_all([assignment("a-1"), assignment("a-2"), assignment("a-gone", withdrawn=True)])
            session.add_all([assignment("a-later", task_ref="")])
            session.add_all([result("a-1", 1), result("a-1", 2), result("a-1", 3), result("a-2", 1)])
            await session.commit()
        async with session_factory(engine)() as session:
            assert await queries.assignee(session, "a-1") == queries.Assignee(
                "11407.vp", "Văn phòng HĐND và UBND", 3
            )
            assert (await queries.assignee(session, "a-2")) == queries.Assignee(
                "11407.vp", "Văn phòng HĐND và UBND", 1
            )
            session.add(assignment("a-new"))
            await session.flush()
            found = await queries.assignee(session, "a-new")
            assert found is not None and found.newest_result == 0
            # Withdrawn, or known only by a placeholder: not an assignment a result can be on.
            assert await queries.assignee(session, "a-gone") is None
            assert await queries.assignee(session, "a-later") is None
            assert await queries.assignee(session, "a-unknown") is None
    finally:
        await engine.dispose()

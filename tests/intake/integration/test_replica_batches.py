"""A batch of assignment events builds intake's replica as the same events one at a time do.

The scenarios, shared with the other service that projects assignments: tests/support/assignment_batches.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Table

from services.intake.app import SPEC
from services.intake.models import ReplicaAssignment
from tests.support import assignment_batches as scenario

pytestmark = pytest.mark.integration
TABLE: Table = ReplicaAssignment.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models


async def test_one_batch_builds_what_the_events_build_one_at_a_time(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    await scenario.one_batch_builds_what_the_events_build_one_at_a_time(SPEC, TABLE, database_url, caplog)


async def test_a_batch_updates_rows_a_former_batch_wrote(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    await scenario.a_batch_updates_rows_a_former_batch_wrote(SPEC, TABLE, database_url, caplog)

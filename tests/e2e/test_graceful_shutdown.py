"""Graceful shutdown under load: SIGTERM during a city plan's fan-out loses nothing and repeats nothing."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from dondoc.directory import load_default_directory
from shared import topics
from tests.support import ADMIN_TOKEN, read_topic
from tests.support.system import System, count

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CITY_PLAN = {
    "issuer": "HP",
    "title": "Kế hoạch hành động của Ủy ban nhân dân thành phố",
    "tasks": [
        {
            "ref": str(i),
            "title": f"Nhiệm vụ {i}",
            "lead": [{"text": "Các sở, ban, ngành và UBND cấp xã"}],
            "timeframe": {"text": "Năm 2026"},
        }
        for i in (1, 2)
    ],
}


def test_sigterm_during_a_fan_out_loses_nothing_and_publishes_nothing_twice(system: System) -> None:
    units = set(load_default_directory().expand("G.CITY_DEPARTMENTS+G.COMMUNES", None))
    expected = 2 * len(units)
    answer = httpx.post(f"{system.url('intake')}/plans", json=CITY_PLAN, headers=AUTH, timeout=10)
    assert answer.status_code == 202, answer.text
    tasks_db = system.folder / "tasks.db"
    deadline = time.monotonic() + 60
    while (
        not tasks_db.exists()
        or count(tasks_db, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 0
    ):
        assert time.monotonic() < deadline, "the fan-out never started"
        time.sleep(0.05)
    system.stop("tasks")  # SIGTERM while the relay is publishing the assignments
    left = count(tasks_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    system.start("tasks")
    system.wait("tasks")
    deadline = time.monotonic() + 120
    while count(tasks_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0:
        assert time.monotonic() < deadline, "the outbox never drained after the restart"
        time.sleep(0.2)
    assert count(tasks_db, "SELECT count(*) FROM assignments") == expected
    # The outbox has drained, so a row published twice is on the broker already; read_topic listens a
    # second past the `expected` events, which would catch it.
    published = asyncio.run(
        read_topic(system.broker.bootstrap, topics.TASK_ASSIGNED, expect=expected, timeout=20)
    )
    ids = [e.id for e in published]
    assert len(ids) == expected and len(set(ids)) == expected, (
        f"{len(ids)} published, {left} were left at SIGTERM"
    )
    plans = asyncio.run(read_topic(system.broker.bootstrap, topics.PLAN_RECEIVED, expect=1, timeout=5))
    assert len(plans) == 1
    metrics = httpx.get(f"{system.url('tasks')}/metrics", timeout=10).text
    redelivered = [
        line
        for line in metrics.splitlines()
        if line.startswith("dondoc_events_consumed_total")
        and 'outcome="duplicate"' in line
        and 'topic="plan.received"' in line
    ]
    assert redelivered and all(line.endswith(" 0.0") for line in redelivered), redelivered

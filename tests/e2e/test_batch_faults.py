"""Batched consumers killed in the middle of a batch: a city plan's assignments still reach every store once.

Consumers handle a fetched batch in one transaction and commit its offsets after it (platform/batch.py).
Here small batches (50) make a city plan's ~500 assignments many of them, and notify and reporting are
SIGKILLed while their counts are part-way: the transaction in flight is lost with its offsets, and what was
committed is not done again. A consumer may finish a plan before its chosen moment (a fast machine), so a new
plan is posted, a bounded number of times, until both were caught part-way. Seeded: each seed fixes the
moments of the kills.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from dondoc.directory import load_default_directory
from tests.support import ADMIN_TOKEN
from tests.support.system import System

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TASKS = 4
# Every city department and commune-level committee: what "Các sở, ban, ngành và UBND cấp xã" names.
UNITS = len(set(load_default_directory().expand("G.CITY_DEPARTMENTS+G.COMMUNES", None)))
PER_PLAN = TASKS * UNITS
ROUNDS = 8


def city_plan(seed: int, round_: int) -> dict[str, object]:
    return {
        "issuer": "HP",
        "number": f"{seed}{round_:02d}/KH-UBND",
        "title": "Kế hoạch của thành phố giao cho mọi sở, ngành và xã",
        "tasks": [
            {
                "ref": str(i),
                "title": f"Nhiệm vụ số {i}",
                "lead": [{"text": "Các sở, ban, ngành và UBND cấp xã"}],
                "timeframe": {"text": "Năm 2027"},
            }
            for i in range(1, TASKS + 1)
        ],
    }


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def handled(db: Path, consumer: str) -> int:
    return count(db, f"SELECT count(*) FROM processed_events WHERE consumer = '{consumer}'")


def effects(folder: Path) -> dict[str, int]:
    """Each store's effects of the plan, and the inbox rows that say which events were handled."""
    return {
        "assignments": count(folder / "tasks.db", "SELECT count(*) FROM assignments"),
        "announced": count(folder / "tasks.db", "SELECT count(*) FROM outbox WHERE topic = 'task.assigned'"),
        "inbox": count(folder / "notify.db", "SELECT count(*) FROM notifications WHERE channel = 'inbox'"),
        "notify_handled": handled(folder / "notify.db", "notify.task.assigned"),
        "read_model": count(folder / "reporting.db", "SELECT count(*) FROM assignment_view"),
        "reporting_handled": handled(folder / "reporting.db", "reporting.task.assigned"),
    }


def dead_letters(folder: Path) -> int:
    stores = (folder / "notify.db", folder / "reporting.db")
    return sum(count(db, "SELECT count(*) FROM dead_letters") for db in stores)


def kill_part_way(
    system: System, victim: str, measure: str, rng: random.Random, deadline: float, expected: int
) -> bool:
    """SIGKILL `victim` once its count has passed a seeded point short of `expected`; start it again."""
    start = effects(system.folder)[measure]
    point = start + int((expected - start) * rng.uniform(0.05, 0.5))
    while time.monotonic() < deadline:
        done = effects(system.folder)[measure]
        if done >= expected:
            return False  # finished before the chosen moment: nothing proven by this round
        if done > point:
            system.kill(victim)
            system.start(victim)
            system.wait(victim)
            return True
        time.sleep(0.01)
    raise AssertionError(f"{measure} never passed {point}")


@pytest.mark.parametrize("seed", [5, 17])
def test_consumers_killed_mid_batch_lose_nothing_and_double_nothing(system: System, seed: int) -> None:
    rng = random.Random(seed)
    system.extra_env["CONSUMER_BATCH_SIZE"] = "50"
    for name in ("tasks", "reporting", "notify"):  # started again with small batches
        system.stop(name)
        system.start(name)
    for name in ("tasks", "reporting", "notify"):
        system.wait(name)
    deadline = time.monotonic() + 200  # within the suite's 300 s timeout, restarts included
    kills: list[str] = []
    expected_each = 0
    # Each round is a new plan and watches one victim (the others run on): reporting, then notify twice (the
    # second kill lands on a consumer started again). A victim that finished before its chosen moment proves
    # nothing in that round, so it is watched again in the next plan's, a bounded number of times.
    targets = [("reporting", "read_model"), ("notify", "inbox"), ("notify", "inbox")]
    for round_ in range(ROUNDS):
        answer = httpx.post(
            f"{system.url('intake')}/plans", json=city_plan(seed, round_), headers=AUTH, timeout=30
        )
        assert answer.status_code == 202, answer.text
        expected_each += PER_PLAN
        victim, measure = targets[len(kills)]
        if kill_part_way(system, victim, measure, rng, deadline, expected_each):
            kills.append(victim)
        if len(kills) == len(targets):
            break
    expected = dict.fromkeys(effects(system.folder), expected_each)
    seen: dict[str, int] = {}
    while time.monotonic() < deadline:
        seen = effects(system.folder)
        if seen == expected:
            break
        assert all(seen[k] <= expected_each for k in seen), f"doubled effects {seen} after kills {kills}"
        time.sleep(0.3)
    assert seen == expected, f"after kills {kills}"
    assert len(kills) == len(targets), f"killed part-way only {kills} in {ROUNDS} plans"
    time.sleep(2)  # late duplicates would show up now
    assert effects(system.folder) == expected
    assert dead_letters(system.folder) == 0

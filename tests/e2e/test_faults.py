"""Fault injection: SIGKILL services at random moments while plans, results and reports flow in; every effect
happens exactly once.

Seeded and reproducible: each seed fixes the kill schedule. The four services run as processes on the real
broker, as `make run` starts them (tests/support/system.py); the checks read each service's own store.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from services.tasks.domain.assignments import assignment_id
from services.tasks.domain.periods import period_containing
from tests.support import ADMIN_TOKEN
from tests.support.system import UNITS, System, count, counts, plan

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
PLANS = 16


def result(plan_id: str, i: int) -> dict[str, object]:
    # The lead's assignment, named as tasks names it: intake refuses results on anything else (ADR 0030).
    return {
        "assignment_id": assignment_id(plan_id, "1", UNITS[0], "chu_tri"),
        "unit": "11407.VP",
        "status": "hoan_thanh",
        "completed_on": "2026-05-20",
        "output": f"Văn bản số {i}/UBND-VP",
    }


def report(plan_id: str, i: int) -> dict[str, object]:
    # This month's report on the plan, owed as soon as tasks' ticker has announced it (report.expected).
    period = period_containing("monthly", date.today())
    assert period is not None
    return {"unit": "11407", "period_id": period.id, "plan_id": plan_id, "narrative": f"Báo cáo số {i}"}


def post_until_accepted(system: System, path: str, body: dict[str, object], key: str, deadline: float) -> str:
    """A ward system retries with the same Idempotency-Key until intake says 202 (what it accepted: its id).

    Until tasks' answer reaches intake's replica, a result or report is refused (503, or 422 for a report
    not yet announced as owed): the ward system's retry covers it as it covers a service being down.
    """
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(
                f"{system.url('intake')}{path}",
                json=body,
                timeout=5,
                headers={**AUTH, "Idempotency-Key": key},
            )
            if answer.status_code == 202:
                return str(answer.json()["id"])
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{path} {key} was never accepted")


def stream_counts(folder: Path) -> dict[str, int]:
    """What every store holds of the plans, results and reports streamed in."""
    return {
        **counts(folder),
        "results": count(folder / "intake.db", "SELECT count(*) FROM results"),
        "results_tasks": count(folder / "tasks.db", "SELECT count(*) FROM results"),
        "results_reporting": count(folder / "reporting.db", "SELECT count(*) FROM result_view"),
        "reports": count(folder / "intake.db", "SELECT count(*) FROM periodic_reports"),
        "reports_tasks": count(folder / "tasks.db", "SELECT count(*) FROM report_receipts"),
        "reports_reporting": count(folder / "reporting.db", "SELECT count(*) FROM report_view"),
    }


def killer(system: System, rng: random.Random, stop: threading.Event, log: list[str]) -> None:
    while not stop.is_set():
        time.sleep(rng.uniform(0.5, 2.5))
        if stop.is_set():
            return
        victim = rng.choice(sorted(system.procs))
        system.kill(victim)
        log.append(victim)
        time.sleep(rng.uniform(0.2, 1.5))
        system.start(victim)
        system.wait(victim)


@pytest.mark.parametrize("seed", [11, 29, 47])
def test_services_killed_at_random_moments_lose_nothing_and_double_nothing(system: System, seed: int) -> None:
    rng = random.Random(seed)
    system.stop("tasks")  # its ticker announces the reports owed every second, so reports are owed at once
    system.extra_env["TICK_SECONDS"] = "1"
    system.start("tasks")
    system.wait("tasks")
    stop, kills = threading.Event(), list[str]()
    chaos = threading.Thread(target=killer, args=(system, rng, stop, kills), daemon=True)
    chaos.start()
    deadline = time.monotonic() + 240
    try:
        for i in range(PLANS):
            plan_id = post_until_accepted(system, "/plans", plan(i), f"fault-plan-{i}", deadline)
            post_until_accepted(system, "/results", result(plan_id, i), f"fault-result-{i}", deadline)
            post_until_accepted(system, "/reports", report(plan_id, i), f"fault-report-{i}", deadline)
            time.sleep(rng.uniform(0.0, 0.8))
    finally:
        stop.set()
        chaos.join(timeout=60)
    for name in ("intake", "tasks", "reporting", "notify"):  # all back up for the catch-up
        if name not in system.procs:
            system.start(name)
            system.wait(name)
    expected = {
        "plans": PLANS,
        "assignments": PLANS * len(UNITS),
        "inbox": PLANS * len(UNITS),
        "read_model": PLANS * len(UNITS),
        **dict.fromkeys(("results", "results_tasks", "results_reporting"), PLANS),
        **dict.fromkeys(("reports", "reports_tasks", "reports_reporting"), PLANS),
    }
    seen: dict[str, int] = {}
    while time.monotonic() < deadline + 120:
        seen = stream_counts(system.folder)
        if seen == expected:
            break
        assert all(seen[k] <= expected[k] for k in expected), f"doubled effects {seen} after kills {kills}"
        time.sleep(0.5)
    assert seen == expected, f"after kills {kills}"
    assert kills, "the schedule killed nothing: the test would prove nothing"
    time.sleep(2)  # late duplicates would show up now
    assert stream_counts(system.folder) == expected

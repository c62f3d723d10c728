"""The broker may pause or forget everything; intake keeps accepting into its outbox and nothing is lost."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from dondoc.platform import processes
from tests.support import ADMIN_TOKEN
from tests.support.system import UNITS, System, counts, plan

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def accept(system: System, i: int) -> None:
    answer = httpx.post(f"{system.url('intake')}/plans", json=plan(i), headers=AUTH, timeout=10)
    assert answer.status_code == 202, answer.text


def wait_for_assignments(system: System, expected: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while counts(system.folder)["assignments"] < expected:
        assert time.monotonic() < deadline, f"only {counts(system.folder)} after {timeout:.0f}s"
        time.sleep(0.5)
    time.sleep(1)
    assert counts(system.folder)["assignments"] == expected


def test_intake_accepts_while_the_broker_is_paused_and_the_backlog_drains_when_it_returns(
    system: System,
) -> None:
    accept(system, 0)
    wait_for_assignments(system, len(UNITS))
    os.kill(system.broker.process.pid, signal.SIGSTOP)
    try:
        for i in range(1, 4):
            accept(system, i)
        ready = httpx.get(f"{system.url('intake')}/ready", timeout=10)
        assert ready.status_code == 503 and ready.json()["checks"]["broker"] is False
    finally:
        os.kill(system.broker.process.pid, signal.SIGCONT)
    wait_for_assignments(system, 4 * len(UNITS))


def per_plan(plans: int) -> dict[str, int]:
    """Every count the pipeline produces for `plans` accepted plans."""
    return {"plans": plans, **{k: plans * len(UNITS) for k in ("assignments", "inbox", "read_model")}}


def wait_for_counts(system: System, expected: dict[str, int], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    seen = counts(system.folder)
    while {k: seen[k] for k in expected} != expected:
        assert all(seen[k] <= n for k, n in expected.items()), f"doubled effects: {seen}"
        assert time.monotonic() < deadline, f"only {seen} of {expected} after {timeout:.0f}s"
        time.sleep(0.5)
        seen = counts(system.folder)


def test_a_broker_that_restarts_empty_loses_nothing_accepted(system: System) -> None:
    accept(system, 0)
    wait_for_counts(system, per_plan(1))
    # Reporting stops reading, so the assignments of plan 1 are published and marked so by tasks, and the
    # broker then forgets them unread: only tasks publishing its outbox again can bring them to reporting.
    reporting = system.procs["reporting"].pid
    os.kill(reporting, signal.SIGSTOP)
    try:
        accept(system, 1)
        wait_for_counts(system, {"assignments": 6, "inbox": 6, "read_model": 3})
        port = int(system.broker.bootstrap.rsplit(":", 1)[1])
        system.broker.process.kill()
        system.broker.process.wait()
        accept(system, 2)  # accepted while there is no broker at all
        # Memory storage: the broker comes back with no topics, no messages and no committed offsets.
        system.broker = processes.start_broker(port, system.folder / "broker-2.log")
    finally:
        os.kill(reporting, signal.SIGCONT)
    accept(system, 3)
    wait_for_counts(system, per_plan(4), timeout=180)
    time.sleep(3)  # the repeats of the re-published outboxes would show up now
    assert counts(system.folder) == per_plan(4)

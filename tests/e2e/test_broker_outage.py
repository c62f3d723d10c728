"""The broker may pause; intake keeps accepting into its outbox and nothing is lost when it returns."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN
from tests.e2e.conftest import System
from tests.e2e.test_faults import UNITS, counts, plan

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

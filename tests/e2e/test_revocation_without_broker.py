"""A key revoked at intake stops at once on every service, dashboard sessions included, with the broker away.

The services learn revocations from intake directly (ADR 0032), not from credential.changed on the bus: the
broker is frozen (SIGSTOP) before the revocation and thawed only after every service has refused the key.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import httpx
import pytest

from tests.support import ADMIN_TOKEN
from tests.support.system import System

pytestmark = pytest.mark.e2e
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WARD = "11407"


def until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> float:
    """Seconds it took `check` to hold."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_revoked_key_stops_everywhere_with_the_broker_frozen(system: System) -> None:
    issued = httpx.post(f"{system.url('intake')}/admin/keys", json={"unit": WARD}, headers=ADMIN, timeout=10)
    assert issued.status_code == 201, issued.text
    token, key_id = issued.json()["token"], issued.json()["key_id"]
    ward = {"Authorization": f"Bearer {token}"}
    calls = {
        "intake": f"{system.url('intake')}/directory/units/{WARD}",
        "tasks": f"{system.url('tasks')}/assignments?unit={WARD}",
        "reporting": f"{system.url('reporting')}/plans",
        "notify": f"{system.url('notify')}/inbox/{WARD}",
    }

    def status(name: str) -> int:
        return httpx.get(calls[name], headers=ward, timeout=10).status_code

    def answers(name: str, code: int) -> Callable[[], bool]:
        return lambda: status(name) == code

    for name in calls:  # the key reached every service over the bus
        until(answers(name, 200), f"the new key accepted by {name}")
    dashboard = system.url("reporting")
    signed = httpx.post(
        f"{dashboard}/dashboard/login",
        data={"key": token, "next": "/dashboard"},
        headers={"Origin": dashboard},
        timeout=10,
    )
    assert signed.status_code == 303, signed.text
    session = {"Cookie": signed.headers["set-cookie"].split(";")[0]}

    def dashboard_status() -> int:
        return httpx.get(f"{dashboard}/dashboard", headers=session, timeout=10).status_code

    assert dashboard_status() == 200

    os.kill(system.broker.process.pid, signal.SIGSTOP)
    try:
        revoked = httpx.delete(f"{system.url('intake')}/admin/keys/{key_id}", headers=ADMIN, timeout=10)
        assert revoked.status_code == 200, revoked.text
        waited = {name: until(answers(name, 401), f"{name} to refuse", 15) for name in calls}
        waited["dashboard"] = until(lambda: dashboard_status() == 303, "the dashboard session to end", 15)
        print(f"seconds from revocation to refusal, broker frozen: {waited}")
        assert all(seconds < 5 for seconds in waited.values()), waited
        assert "thu hồi" in httpx.get(calls["tasks"], headers=ward, timeout=10).json()["detail"]
    finally:
        os.kill(system.broker.process.pid, signal.SIGCONT)

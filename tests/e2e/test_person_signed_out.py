"""A person signed out in the workspace is signed out of the dashboard too (ADR 0092).

Two people of Sở Tư pháp open the dashboard through the workspace's hand-over, on the running system. The city
administrator disables one of them with the real CLI: that person's dashboard session ends, the other's stays.
The other signs out of the workspace: their dashboard session ends as well. Nothing else changes on the way.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import pytest

from tests.support import workspace_world as w
from tests.support.intake.pages import NEW_PASSWORD
from tests.support.system import System

pytestmark = pytest.mark.e2e


def until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        time.sleep(0.2)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the page carries no form token"
    return found.group(1)


class Person:
    """One person's browser: a workspace session at intake, then a dashboard session at reporting."""

    def __init__(self, system: System, username: str, temporary: str) -> None:
        intake, reporting = system.url("intake"), system.url("reporting")
        self.workspace = httpx.Client(base_url=intake, headers={"Origin": intake}, timeout=60)
        self.dashboard = httpx.Client(base_url=reporting, headers={"Origin": reporting}, timeout=30)
        form = {"username": username, "password": temporary, "next": "/workspace"}
        signed = self.workspace.post("/workspace/login", data=form)
        assert signed.status_code == 303, signed.text
        change = self.workspace.get(signed.headers["location"])  # a first sign-in chooses a password
        chosen = {
            "csrf": csrf(change.text),
            "current": temporary,
            "new": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "next": "/workspace",
        }
        assert self.workspace.post("/workspace/password", data=chosen).status_code == 303
        handed = self.workspace.get("/workspace/dashboard", params={"next": "/dashboard"})
        assert handed.status_code == 303
        assert handed.headers["location"].startswith(f"{reporting}/dashboard/handover")
        opened = self.dashboard.get(handed.headers["location"])
        assert opened.status_code == 303 and opened.headers["location"] == "/dashboard"
        # The dashboard's cookie is Secure: Chromium keeps it on http://127.0.0.1, httpx does not.
        cookie = re.search(r"dondoc_dashboard=([^;]+)", opened.headers["set-cookie"])
        assert cookie, "the hand-over opened no session"
        self.session = {"Cookie": f"dondoc_dashboard={cookie.group(1)}"}

    def on_dashboard(self) -> bool:
        """Whether the dashboard still knows this browser (a page, not the way to sign in)."""
        answer = self.dashboard.get("/dashboard", headers=self.session)
        assert answer.status_code in (200, 303), answer.text
        return answer.status_code == 200

    def sign_out_of_the_workspace(self) -> None:
        page = self.workspace.get("/workspace")
        assert self.workspace.post("/workspace/logout", data={"csrf": csrf(page.text)}).status_code == 303

    def close(self) -> None:
        self.workspace.close()
        self.dashboard.close()


def disable(system: System, username: str) -> None:
    env = os.environ | system.env("intake")
    command = [sys.executable, "-m", "dondoc.cli", "people", "disable", username]
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=240, check=True)


def test_disabled_or_signed_out_in_the_workspace_ends_the_dashboard_session(system: System) -> None:
    thu = Person(system, "thu.pham", w.person(system, "thu.pham", "Phạm Minh Thu", w.STP))
    lan = Person(system, "lan.tran", w.person(system, "lan.tran", "Trần Thị Lan", w.STP))
    try:
        assert thu.on_dashboard() and lan.on_dashboard()

        disable(system, "thu.pham")
        until(lambda: not thu.on_dashboard(), "the disabled person's dashboard session to end")
        assert lan.on_dashboard()  # the colleague's session is not theirs to lose

        lan.sign_out_of_the_workspace()
        until(lambda: not lan.on_dashboard(), "the signed-out person's dashboard session to end")
        assert w.audited(system, "person.disable", "intake") == ["cli"]
    finally:
        thu.close()
        lan.close()

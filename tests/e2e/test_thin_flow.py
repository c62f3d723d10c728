"""End to end through four processes on the real broker: a plan posted to intake reaches every service."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import pytest

from tests.support import ADMIN_TOKEN
from tests.support.system import System

pytestmark = pytest.mark.e2e
T = TypeVar("T")
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def wait_for(fetch: Callable[[], T], timeout: float = 60.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fetch()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_plan_posted_to_intake_becomes_assignments_inbox_messages_and_progress(system: System) -> None:
    plan = {
        "issuer": "11407",
        "number": "15/KH-UBND",
        "title": "Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15",
        "tasks": [
            {
                "ref": "II.1",
                "title": "Tổ chức quán triệt, truyền thông",
                "lead": [{"text": "Văn phòng HĐND và UBND", "unit": "11407.VP"}],
                "coordinating": [{"text": "Phòng Văn hóa - Xã hội", "unit": "11407.VHXH"}],
                "timeframe": {"text": "Năm 2026", "kind": "deadline", "due": "2026-12-31"},
            },
        ],
    }
    with httpx.Client(timeout=10) as client:
        answer = client.post(f"{system.url('intake')}/plans", json=plan, headers=AUTH)
        assert answer.status_code == 202, answer.text
        plan_id = answer.json()["id"]

        def assignments() -> list[dict[str, Any]]:
            r = client.get(f"{system.url('tasks')}/assignments", params={"plan_id": plan_id}, headers=AUTH)
            return r.json() if r.status_code == 200 and len(r.json()) == 2 else []

        got = wait_for(assignments)
        assert {(a["unit"], a["role"]) for a in got} == {("11407.VP", "chu_tri"), ("11407.VHXH", "phoi_hop")}

        def inbox() -> list[dict[str, Any]]:
            r = client.get(f"{system.url('notify')}/inbox/11407.VP", headers=AUTH)
            return r.json() if r.status_code == 200 else []

        messages = wait_for(inbox)
        assert "Tổ chức quán triệt" in messages[0]["title"]

        # a result from the lead unit, through intake, reaches the city's submission
        lead = next(a for a in got if a["role"] == "chu_tri")
        result = {
            "assignment_id": lead["id"],
            "unit": "11407.VP",
            "status": "hoan_thanh",
            "completed_on": "2026-05-20",
            "output": "Văn bản số 12/UBND-VP ngày 20/5/2026",
        }

        def accepted() -> bool:
            # 503 + Retry-After until tasks' assignment reaches intake's replica (ADR 0030): retry.
            answer = client.post(f"{system.url('intake')}/results", json=result, headers=AUTH)
            assert answer.status_code in (202, 503), answer.text
            return answer.status_code == 202

        wait_for(accepted)
        year = {"from": "2026-01-01", "to": "2026-12-31"}

        def submission() -> dict[str, Any]:
            url = f"{system.url('reporting')}/plans/{plan_id}/submission"
            r = client.get(url, params=year, headers=AUTH)
            done = r.status_code == 200 and r.json()["assignment_counts"]["done_on_time"] == 1
            return r.json() if done else {}

        compiled = wait_for(submission)
        assert compiled["plan"]["title"] == plan["title"] and compiled["assignment_counts"]["total"] == 2
        assert compiled["tasks"][0]["outputs"][0]["text"] == result["output"]

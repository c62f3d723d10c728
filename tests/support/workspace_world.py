"""What the workspace's browser test sets up on the running system: a city plan, people, and API look-ups."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx
from docx import Document
from playwright.sync_api import BrowserContext, Page, expect

from tests.support import ADMIN_TOKEN, ARTIFACTS
from tests.support.system import System

T = TypeVar("T")
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WARD, OTHER, STP = "11407", "10537", "HP.SO-TU-PHAP"
SHOTS = ARTIFACTS / "workspace"
PASSWORD = "Hai-Phong-2026!"
# The smallest PDF a reader accepts; enough for the content check (%PDF-) and for a download to compare.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def wait_for(fetch: Callable[[], T | None], what: str, timeout: float = 90.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fetch()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def person(system: System, username: str, name: str, unit: str) -> str:
    """Create a person with the real CLI on intake's store (while intake runs); the temporary password."""
    env = os.environ | system.env("intake")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dondoc.cli",
            "people",
            "add",
            "--username",
            username,
            "--name",
            name,
            "--unit",
            unit,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,  # a hang guard: the command takes ~3.6 s of CPU (imports, migrations, argon2id)
        check=True,
    )
    return done.stdout.strip()


def city_plan(today: date) -> dict[str, Any]:
    """A city plan: one task for two wards due in three days, one for An Biên later; reports to Sở Tư pháp."""
    return {
        "issuer": "HP",
        "number": "77/KH-UBND",
        "title": "Kế hoạch rà soát văn bản quy phạm pháp luật năm 2026",
        "issued_on": (today - timedelta(days=30)).isoformat(),
        "tasks": [
            {
                "ref": "1",
                "title": "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của địa phương",
                "lead": [
                    {"text": "UBND phường An Biên", "unit": WARD},
                    {"text": "UBND phường Tân Hưng", "unit": OTHER},
                ],
                "output": "Báo cáo kết quả rà soát",
                "timeframe": {
                    "text": "Trong tháng",
                    "kind": "deadline",
                    "due": (today + timedelta(days=3)).isoformat(),
                },
            },
            {
                "ref": "2",
                "title": "Tổ chức hội nghị quán triệt kế hoạch",
                "lead": [{"text": "UBND phường An Biên", "unit": WARD}],
                "output": "Hội nghị",
                "timeframe": {
                    "text": "Quý I năm sau",
                    "kind": "deadline",
                    "due": (today + timedelta(days=90)).isoformat(),
                },
            },
        ],
        "reporting": [
            {
                "reporter": [{"text": "UBND phường An Biên", "unit": WARD}],
                "recipient": {"text": "Sở Tư pháp", "unit": STP},
                "recurrence": ["semiannual"],
            }
        ],
    }


def post_plan(system: System, plan: dict[str, Any]) -> str:
    answer = httpx.post(f"{system.url('intake')}/plans", json=plan, headers=AUTH, timeout=10)
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def assignment_of(system: System, plan_id: str, unit: str, ref: str) -> str:
    def fetch() -> str | None:
        url = f"{system.url('tasks')}/assignments"
        found = httpx.get(url, params={"plan_id": plan_id}, headers=AUTH, timeout=10).json()
        ids = [a["id"] for a in found if a["unit"] == unit and a["task_ref"] == ref]
        return ids[0] if len(found) == 3 and ids else None

    return wait_for(fetch, f"assignment {ref} of {unit}")


def preview(system: System, plan_id: str, today: date) -> dict[str, Any]:
    params = {
        "from": (today - timedelta(days=60)).isoformat(),
        "to": (today + timedelta(days=120)).isoformat(),
    }
    url = f"{system.url('reporting')}/plans/{plan_id}/submission"
    answer = httpx.get(url, params=params, headers=AUTH, timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def line_of(submission: dict[str, Any], ref: str, unit: str) -> dict[str, Any]:
    task = next(t for t in submission["tasks"] if t["ref"] == ref)
    return dict(next(u for u in task["units"] if u["unit_code"] == unit))


def docx_text(system: System, plan_id: str, today: date) -> str:
    """Compile the plan's submission over the same range and read its DOCX back."""
    body = {
        "plan_id": plan_id,
        "period_start": (today - timedelta(days=60)).isoformat(),
        "period_end": (today + timedelta(days=120)).isoformat(),
    }
    made = httpx.post(f"{system.url('reporting')}/reports", json=body, headers=AUTH, timeout=60)
    assert made.status_code == 201, made.text
    report_id = made.json()["report_id"]
    url = f"{system.url('reporting')}/reports/{report_id}/document.docx"
    document = Document(io.BytesIO(httpx.get(url, headers=AUTH, timeout=60).content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def audited(system: System, action: str, service: str = "reporting") -> list[str]:
    """Who did `action` (accepted), oldest first, from the service's own audit trail."""
    with sqlite3.connect(system.folder / f"{service}.db") as db:
        rows = db.execute(
            "SELECT key_id FROM audit_log WHERE action = ? AND outcome = 'accepted' ORDER BY id", (action,)
        ).fetchall()
    return [str(r[0]) for r in rows]


def sign_in(context: BrowserContext, base: str, target: str, username: str, password: str) -> Page:
    page = context.new_page()
    page.goto(base + target)
    expect(page).to_have_url(re.compile(re.escape(f"{base}/workspace/login?next=")))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def choose_password(page: Page, temporary: str) -> None:
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu")
    page.get_by_label("Mật khẩu hiện tại").fill(temporary)
    page.get_by_label("Mật khẩu mới", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()


def labelled_and_keyboard_first(page: Page) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    unlabelled = "[...document.querySelectorAll('select, textarea, input:not([type=hidden])')]"
    assert page.evaluate(f"{unlabelled}.filter(e => e.labels.length === 0).length") == 0

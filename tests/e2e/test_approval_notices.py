"""A unit's leader approval is told to the unit on the running system (ADR 0120).

An Biên chose to approve what it sends. Its officer sends a result on a city plan's task from the workspace:
the unit's inbox (notify's, read through the workspace) says it waits for the leader, who sent it and for
which task, and opens the approvals page (in Chromium: the officer sees it wait there, read only). The
leader returns it in Chromium, first without a reason (said beside the field), then with one: the inbox
says so, quoting the reason, and opens the assignment's page where the officer corrects it and sends it
again. Screenshots in test-artifacts/workspace/approvals-*.png.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from dondoc.kernel.clock import SYSTEM_CLOCK
from tests.support import workspace_world as w
from tests.support.intake.pages import NEW_PASSWORD
from tests.support.system import System

pytestmark = pytest.mark.e2e
TASK = "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của địa phương"
REASON = "Thiếu số và ngày ban hành của văn bản đã rà soát; đề nghị bổ sung."


def hidden(page: str) -> dict[str, str]:
    """The form's hidden fields (form token, idempotency key, the version the page showed)."""
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "the page carries no form token"
    return found.group(1)


def add_person(system: System, username: str, name: str, *role: str) -> str:
    """A person of An Biên, created with the real CLI; the temporary password."""
    env = os.environ | system.env("intake")
    command = [sys.executable, "-m", "dondoc.cli", "people", "add", "--username", username, "--name", name]
    done = subprocess.run(
        [*command, "--unit", w.WARD, *role], env=env, capture_output=True, text=True, timeout=240, check=True
    )
    return done.stdout.strip()


def signed_in(system: System, username: str, temporary: str) -> httpx.Client:
    """A person's browser, signed in to the workspace with the password they chose at first sign-in."""
    intake = system.url("intake")
    client = httpx.Client(base_url=intake, headers={"Origin": intake}, timeout=60)
    form = {"username": username, "password": temporary, "next": "/workspace"}
    signed = client.post("/workspace/login", data=form)
    assert signed.status_code == 303, signed.text
    change = client.get(signed.headers["location"])
    chosen = {"csrf": csrf(change.text), "current": temporary, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/workspace/password", data={**chosen, "next": "/workspace"}).status_code == 303
    return client


@dataclass(frozen=True)
class Shown:
    """A notice as the workspace's inbox page shows it."""

    id: str
    unit: str
    title: str
    body: str
    link: str


def inbox(client: httpx.Client) -> list[Shown]:
    page = client.get("/workspace/inbox")
    assert page.status_code == 200, page.text
    cards = re.findall(r'<li class="card[^"]*" data-notice="([^"]+)".*?</li>', page.text, re.S)
    shown = []
    for notice_id in cards:
        card = page.text.split(f'data-notice="{notice_id}"', 1)[1].split("</li>", 1)[0]
        title = re.search(r'<h2 class="h3">(?:<span[^>]*>Mới</span> )?(.*?)</h2>', card, re.S)
        body = re.search(r'<p class="body">(.*?)</p>', card, re.S)
        link = re.search(r'name="link" value="([^"]*)"', card)
        unit = re.search(r'action="/workspace/inbox/([^/]+)/', card)
        assert title and body and link and unit, card
        text = (html.unescape(title.group(1)), html.unescape(body.group(1)), html.unescape(link.group(1)))
        shown.append(Shown(notice_id, unit.group(1), *text))
    return shown


def notice(client: httpx.Client, title_starts: str, what: str) -> Shown:
    return w.wait_for(
        lambda: next((n for n in inbox(client) if n.title.startswith(title_starts)), None), what, timeout=120
    )


def opened(client: httpx.Client, shown: Shown) -> str:
    """Open the notice as a person does ("Mở trang"): where the workspace leads."""
    page = client.get("/workspace/inbox").text
    answer = client.post(
        f"/workspace/inbox/{shown.unit}/{shown.id}/open", data={"csrf": csrf(page), "link": shown.link}
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def officer_sees_it_wait(browser: Browser, system: System) -> None:
    """In Chromium: the officer opens the waiting notice from the unit's inbox and lands on the approvals
    page, read only (what waits, no decision, no choice of the unit's)."""
    base = system.url("intake")
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = w.sign_in(context, base, "/workspace/inbox", "hoa.nguyen", NEW_PASSWORD)
    card = page.locator("li.card", has_text="Chờ lãnh đạo đơn vị duyệt")
    expect(card).to_have_count(1)
    card.get_by_role("button", name=re.compile("^Mở trang duyệt")).click()
    expect(page).to_have_url(f"{base}/workspace/approvals")
    expect(page.locator("h1")).to_have_text("Kết quả và báo cáo đang chờ lãnh đạo đơn vị duyệt")
    waiting = page.locator("article[data-pending]")
    expect(waiting.locator("h3 a")).to_have_text(TASK)  # the task by its title, the unit by its name
    expect(waiting).to_contain_text("Kế hoạch số 77/KH-UBND")
    expect(waiting).to_contain_text("Đơn vị: UBND phường An Biên")
    expect(waiting).to_contain_text("Nguyễn Thị Hoa (hoa.nguyen)")
    decisions = re.compile("Duyệt và gửi lên|Trả lại|bước duyệt")
    expect(page.get_by_role("button", name=decisions)).to_have_count(0)
    w.shot(page, "approvals-officer")
    context.close()


def leader_returns_it(browser: Browser, system: System) -> None:
    """In Chromium, on a phone: a return without its reason is said beside the field; with it, nothing waits
    any more."""
    base = system.url("intake")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = w.sign_in(context, base, "/workspace/approvals", "lan.tran", NEW_PASSWORD)
    expect(page).to_have_url(f"{base}/workspace/approvals")
    expect(page.locator("h1")).to_have_text("Duyệt kết quả và báo cáo của đơn vị")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.get_by_role("button", name=re.compile("^Trả lại chuyên viên")).click()
    reason = page.get_by_label("Lý do trả lại (bắt buộc)")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_have_count(1)
    w.shot(page, "approvals-return-without-reason")
    reason.fill(REASON)
    page.get_by_role("button", name=re.compile("^Trả lại chuyên viên")).click()
    expect(page.locator("#wait-title")).to_contain_text("(0)")
    w.shot(page, "approvals-leader-returned")
    context.close()


def test_the_unit_hears_what_waits_for_its_leader_and_the_leaders_return_with_its_reason(
    system: System,
) -> None:
    today = SYSTEM_CLOCK.today()
    plan = w.post_plan(system, w.city_plan(today))
    with ThreadPoolExecutor(2) as pool:  # the CLI's start-up is most of its time: both at once
        officer_added = pool.submit(add_person, system, "hoa.nguyen", "Nguyễn Thị Hoa")
        leader_added = pool.submit(add_person, system, "lan.tran", "Trần Thị Lan", "--role", "leader")
        officer_pw, leader_pw = officer_added.result(), leader_added.result()
    officer, leader = signed_in(system, "hoa.nguyen", officer_pw), signed_in(system, "lan.tran", leader_pw)
    try:
        page = leader.get("/workspace/approvals").text
        turned = leader.post("/workspace/approvals/preference", data={"csrf": csrf(page), "approval": "on"})
        assert turned.status_code == 303
        assignment = w.assignment_of(system, plan, w.WARD, "1")
        path = f"/workspace/assignments/{assignment}"
        form = w.wait_for(
            lambda: hidden(r.text) if (r := officer.get(path)).status_code == 200 else None,
            "the assignment in intake's replica",
        )
        done_on = (today - timedelta(days=1)).strftime("%d/%m/%Y")
        fields = {"status": "hoan_thanh", "completed_on": done_on, "output": "Báo cáo kết quả rà soát"}
        sent = officer.post(f"{path}/result", data={**form, **fields})
        assert sent.status_code == 303 and sent.headers["location"].endswith("?pending=1"), sent.text[-1500:]

        waiting = notice(leader, "Chờ lãnh đạo đơn vị duyệt", "the waiting result in the unit's inbox")
        assert waiting.title == (
            "Chờ lãnh đạo đơn vị duyệt: kết quả thực hiện nhiệm vụ theo Kế hoạch số 77/KH-UBND "
            "do Nguyễn Thị Hoa gửi"
        )
        assert f"Nguyễn Thị Hoa đã gửi kết quả thực hiện nhiệm vụ “{TASK}”" in waiting.body
        assert opened(leader, waiting) == "/workspace/approvals"

        chromium = shutil.which("chromium")
        if chromium is None:
            pytest.fail("Chromium is not installed: run `make system-deps`")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                officer_sees_it_wait(browser, system)
                leader_returns_it(browser, system)
            finally:
                browser.close()

        returned = notice(officer, "Lãnh đạo đơn vị trả lại", "the leader's return in the unit's inbox")
        assert returned.title == (
            "Lãnh đạo đơn vị trả lại kết quả thực hiện nhiệm vụ theo Kế hoạch số 77/KH-UBND để chỉnh sửa"
        )
        assert "lãnh đạo đơn vị (Trần Thị Lan) đã trả lại" in returned.body
        assert f"Lý do trả lại:\n{REASON}" in returned.body
        assert opened(officer, returned) == path
        assert REASON in officer.get(path).text  # the page it opens shows the reason beside the form
    finally:
        officer.close()
        leader.close()

"""The city dashboard in Debian's Chromium: sign in, read the figures, drill down, review, generate, download.

Events go in by the real broker, the reporting service answers on real HTTP, and every figure the page shows
is checked against the events (worked out by hand) and against compile_submission on the service's store.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from dondoc.kernel.status import REPORTED_STATUSES
from dondoc.platform.auth import issue_key
from services.reporting.domain import Submission, TaskStatus
from tests.support import ADMIN_TOKEN, ARTIFACTS
from tests.support.reporting import dashboard_world as world
from tests.support.reporting.dashboard_world import sign_in

pytestmark = pytest.mark.integration
SHOTS = ARTIFACTS / "dashboard"
PLAN_PAGE = f"/dashboard/plans/{world.PLAN_ID}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def status_counts(page: Page, name: str) -> dict[str, int]:
    table = page.locator(f'table[data-counts="{name}"]')
    found = {}
    for row in table.locator("tbody tr").all():
        found[row.get_attribute("data-status") or ""] = int(row.locator("[data-count]").inner_text())
    return found


def check_plan_page(page: Page, sub: Submission) -> None:
    """The figures on the page are the hand-worked ones, and the compiler's on the same store."""
    figure = {
        name: page.locator(f'[data-figure="{name}"]').inner_text()
        for name in ("tasks", "assignments", "completeness", "timeliness", "overdue", "not-reported")
    }
    assert figure["completeness"] == world.HAND["Q2"]["completeness"] == sub.reporting.city.completeness.text
    assert figure["timeliness"] == world.HAND["Q2"]["timeliness"] == sub.reporting.city.timeliness.text
    assert int(figure["assignments"]) == 15 == sub.assignment_counts.total
    assert int(figure["tasks"]) == 3 == sub.task_counts.total
    not_reported = sum(len(t.not_reported) for t in sub.tasks)
    assert int(figure["not-reported"]) == world.HAND["not_reported"] == not_reported
    assert status_counts(page, "assignments") == world.HAND["assignments"]
    assert status_counts(page, "assignments") == {
        s.value: sub.assignment_counts.count(s) for s in REPORTED_STATUSES
    }
    assert status_counts(page, "tasks") == {s.value: sub.task_counts.count(s) for s in REPORTED_STATUSES}
    assert status_counts(page, "tasks") == world.HAND["tasks"]
    grid = page.locator("#grid")
    compiled = {(u.unit_code, t.ref): u.status.value for t in sub.tasks for u in t.units}
    for (unit, ref), status in world.HAND["grid"].items():
        cell = grid.locator(f'tr[data-unit="{unit}"] td[data-task="{ref}"]')
        assert cell.get_attribute("data-status") == status == compiled[(unit, ref)], (unit, ref)
        label = TaskStatus(status).label
        assert label in cell.inner_text() and label in (cell.get_attribute("title") or "")
    overdue = {
        (r.get_attribute("data-unit"), ref)
        for r in page.locator("#overdue-by-unit tbody tr").all()
        for ref in (r.get_attribute("data-tasks") or "").split()
    }
    assert overdue == world.HAND["overdue"]
    assert overdue == {(u.unit_code, t.ref) for t in sub.tasks for u in t.units if u.status.name == "OVERDUE"}
    assert int(figure["overdue"]) == len(overdue)
    missing = {r.get_attribute("data-unit") for r in page.locator("#not-reported tbody tr").all()}
    assert missing == world.HAND["Q2"]["missing"]
    assert missing == {r.unit_code for r in sub.reporting.by_unit if r.missing_periods}
    q1 = page.locator('table[data-table="timeline"] tr[data-period="2026-Q1"] td').all_inner_texts()
    assert q1[3:] == [world.HAND["Q1"]["completeness"], world.HAND["Q1"]["timeliness"]]
    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert "quý II năm 2026 — Tỷ lệ đầy đủ: 60%" in chart.inner_html()


def download(page: Page, link_id: str, folder: Path) -> bytes:
    with page.expect_download() as started:
        page.click(link_id)
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path.read_bytes()


def review_assignment(page: Page, url: str, db: Path) -> None:
    """Drill down to a ward and an assignment; accept its latest version, return the first."""
    page.locator('#grid tr[data-unit="10525"] th a').click()
    expect(page.locator("h1")).to_have_text(world.unit_name("10525"))
    line = page.locator('#unit-tasks tr[data-task="PL.1"]')
    assert "Báo cáo số 45/BC-UBND ngày 30/3/2026" in line.locator("blockquote").inner_text()
    assert line.locator("[data-status]").get_attribute("data-status") == world.OK
    shot(page, "unit")
    line.get_by_role("link", name="PL.1").click()
    expect(page).to_have_url(f"{url}/dashboard/assignments/as-PL.1-10525")
    versions = page.locator("article.version")
    assert versions.count() == 2
    assert page.locator('[data-figure="counted"]').inner_text() == "2"
    # Each version names who sent it (the unit), and the status the unit reported under its own label.
    for version in ("1", "2"):
        sender = page.locator(f'article[data-version="{version}"] [data-figure="sender"]')
        expect(sender).to_have_text(world.unit_name("10525"))
    assert page.get_by_text("Đơn vị báo", exact=True).count() == 0
    page.get_by_role("button", name="Chấp nhận phiên bản 2").click()
    newest = page.locator('article[data-version="2"] [data-decision]')
    expect(newest).to_have_attribute("data-decision", "accepted")
    first = page.locator('article[data-version="1"]')
    returned_without_reason(page, first, db)
    first.get_by_label("Lý do trả lại (bắt buộc)").fill("Thiếu ngày hoàn thành; đề nghị bổ sung.")
    first.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(page.locator('article[data-version="1"] [data-decision]')).to_have_attribute(
        "data-decision", "returned"
    )
    shot(page, "assignment")
    decided = world.rows(db, "SELECT version, decision, reviewer_key FROM reviews ORDER BY version")
    assert decided == [(1, "returned", "bootstrap-admin"), (2, "accepted", "bootstrap-admin")]
    audited = world.rows(db, "SELECT action, status FROM audit_log WHERE action = 'submission.review'")
    assert audited == [("submission.review", 201), ("submission.review", 201)]


def returned_without_reason(page: Page, version: Locator, db: Path) -> None:
    """A return with no reason (a browser that ignores `required`) comes back to the same page, the error
    beside the reason's field, the field focused, and nothing recorded."""
    reason = version.get_by_label("Lý do trả lại (bắt buộc)")
    reason.evaluate("field => field.removeAttribute('required')")
    here = page.url
    version.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    error = page.locator('article[data-version="1"] .field-error')
    expect(error).to_have_text(re.compile("hãy ghi rõ lý do"))
    assert page.url.split("?")[0] == here.split("?")[0]
    field = page.locator('article[data-version="1"]').get_by_label("Lý do trả lại (bắt buộc)")
    expect(field).to_be_focused()
    assert field.get_attribute("aria-describedby") == error.get_attribute("id")
    undecided = page.locator('article[data-version="1"] [data-decision]')
    expect(undecided).to_have_attribute("data-decision", "none")
    shot(page, "return-without-reason")
    assert world.rows(db, "SELECT version FROM reviews WHERE version = 1") == []


def forged_posts_are_refused(page: Page, url: str) -> None:
    """A review posted without the session's form token, or from another origin, changes nothing."""
    form: dict[str, str | float | bool] = {
        "kind": "result",
        "item_id": "kq-PL.1-10507",
        "version": "1",
        "decision": "accepted",
    }
    bare = page.request.post(f"{url}/dashboard/reviews", form=form, headers={"Origin": url})
    assert bare.status == 403 and "Biểu mẫu đã cũ" in bare.text()
    csrf = page.locator('input[name="csrf"]').first.get_attribute("value") or ""
    foreign = page.request.post(
        f"{url}/dashboard/reviews", form={**form, "csrf": csrf}, headers={"Origin": "http://evil.example"}
    )
    assert foreign.status == 403


def generate_and_download(page: Page, url: str, db: Path, folder: Path) -> None:
    page.goto(url + PLAN_PAGE)
    page.select_option("#gen-period", "2026-Q2")
    page.click("#generate")
    expect(page.locator("h1")).to_have_text("Báo cáo tổng hợp quý II năm 2026")
    report_id = page.url.rsplit("/", 1)[1]
    docx = Document(io.BytesIO(download(page, "#download-docx", folder)))
    text = "\n".join(p.text for p in docx.paragraphs) + "".join(
        c.text for t in docx.tables for r in t.rows for c in r.cells
    )
    assert world.PLAN_TITLE in text or "Nghị quyết số 66-NQ/TW" in text
    book = openpyxl.load_workbook(io.BytesIO(download(page, "#download-xlsx", folder)))
    assert "Tổng hợp" in book.sheetnames and "Theo đơn vị" in book.sheetnames
    values: list[Any] = [c.value for row in book["Theo đơn vị"].iter_rows() for c in row]
    assert world.unit_name("10525") in values
    shot(page, "report")
    page.goto(url + PLAN_PAGE)
    assert page.locator(f'#reports tr[data-report="{report_id}"]').count() == 1
    assert world.rows(db, "SELECT count(*) FROM generated_reports") == [(1,)]


def ward_sees_only_its_own_page(browser: Browser, url: str, token: str, report: str) -> BrowserContext:
    context = browser.new_context()
    own = f"{PLAN_PAGE}/units/10507"
    page = sign_in(context, url, token, own)
    expect(page.locator("h1")).to_have_text(world.unit_name("10507"))
    assert (
        page.locator('#unit-tasks tr[data-task="PL.2"] [data-status]').get_attribute("data-status")
        == world.OPEN  # completed on 05/07, after 2026-Q2's cut-off (30/06), when it was not yet due
    )
    assert page.get_by_role("button", name="Chấp nhận phiên bản 1").count() == 0  # no review for a ward
    sent = page.locator('[data-report="bc-2026-Q1-10507"] [data-timeliness]')
    assert sent.get_attribute("data-timeliness") == "on-time" and "đúng hạn" in sent.inner_text()
    for refused in (f"{PLAN_PAGE}/units/10525", PLAN_PAGE, "/dashboard/assignments/as-PL.1-10525"):
        answer = page.goto(url + refused)
        assert answer is not None and answer.status == 403, refused
        assert "Không có quyền truy cập" in page.locator("h1").inner_text()
    shot(page, "ward-refused")
    answer = page.goto(f"{url}/dashboard/reports/{report}/document.docx")
    assert answer is not None and answer.status == 404
    page.goto(url + "/dashboard")
    expect(page.locator(f'li[data-plan="{world.PLAN_ID}"] a')).to_have_attribute("href", own)
    card = page.locator(f'li[data-plan="{world.PLAN_ID}"]').inner_text()
    assert "Hoàn thành quá hạn: 1" in card and "Quá hạn chưa hoàn thành: 0" in card  # 10507's own tasks
    shot(page, "ward-home")
    return context


def test_the_city_dashboard_shows_the_compiled_figures_and_drives_review_and_generation(
    broker: str, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium is not installed: run `make system-deps`")
    ward_key = issue_key()
    with world.serve(broker, tmp_path) as service, sync_playwright() as playwright:
        url, db = service.url, service.db
        world.run(world.publish(broker, world.events(ward_key)))
        world.wait_for(db, "SELECT count(*) FROM assignment_view", 15)
        world.wait_for(db, "SELECT count(*) FROM result_view", 7)
        world.wait_for(db, "SELECT count(*) FROM report_view", 6)
        world.wait_for(db, "SELECT count(*) FROM expected_report_view", 10)
        world.wait_for(db, "SELECT count(*) FROM credentials", 1)
        world.wait_for(db, "SELECT count(*) FROM plan_view", 1)
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        stranger = sign_in(browser.new_context(), url, "dd_nokey_notasecret", PLAN_PAGE)
        expect(stranger.get_by_text("sai khóa truy cập", exact=False)).to_be_visible()
        admin = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 800})
        page = sign_in(admin, url, ADMIN_TOKEN, PLAN_PAGE)
        expect(page.locator("h1")).to_have_text(world.PLAN_TITLE)
        cookie = next(c for c in admin.cookies() if c["name"] == "dondoc_dashboard")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        sessions = world.rows(db, "SELECT key_id FROM dashboard_sessions")
        assert len(sessions) == 1 and sessions[0][0].startswith("bootstrap-admin#")
        check_plan_page(page, world.compiled(db, "2026-Q2"))
        page.keyboard.press("Tab")  # keyboard first: the skip link, then every control has a label
        assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
        unlabelled = "[...document.querySelectorAll('select, textarea, input:not([type=hidden])')]"
        assert page.evaluate(f"{unlabelled}.filter(e => e.labels.length === 0).length") == 0
        shot(page, "plan")
        # a report sent three days after its deadline says so on the unit's page
        page.goto(f"{url}{PLAN_PAGE}/units/10525")
        late = page.locator('[data-report="bc-2026-Q1-10525"] [data-timeliness]')
        assert late.get_attribute("data-timeliness") == "late" and "quá hạn 3 ngày" in late.inner_text()
        page.goto(url + PLAN_PAGE)
        forged_posts_are_refused(page, url)
        review_assignment(page, url, db)
        generate_and_download(page, url, db, tmp_path)
        report = world.rows(db, "SELECT report_id FROM generated_reports")[0][0]
        ward = ward_sees_only_its_own_page(browser, url, ward_key.token, report)
        # A revoked key stops working at once, whatever session it opened.
        world.run(world.publish(broker, [world.credential(ward_key, "10507", revoked=True)]))
        world.wait_for(db, "SELECT count(*) FROM credentials WHERE revoked_at IS NOT NULL", 1)
        ward_page = ward.pages[0]
        ward_page.goto(f"{url}{PLAN_PAGE}/units/10507")
        assert "/dashboard/login" in ward_page.url
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(f"{url}/dashboard/login")
        page.goto(url + PLAN_PAGE)
        assert "/dashboard/login" in page.url
        assert world.rows(db, "SELECT count(*) FROM dashboard_sessions") == [(0,)]
        # Signing in and out are writes like any other: the wrong key, the administrator, the ward.
        logins = "SELECT outcome, status FROM audit_log WHERE action = 'dashboard.login' ORDER BY id"
        assert world.rows(db, logins) == [("refused", 401), ("accepted", 303), ("accepted", 303)]
        logouts = "SELECT outcome, key_id FROM audit_log WHERE action = 'dashboard.logout'"
        assert world.rows(db, logouts) == [("accepted", "bootstrap-admin")]
        browser.close()

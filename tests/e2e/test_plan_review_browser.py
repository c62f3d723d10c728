"""Issue 17.1 in Debian's Chromium on the four running services: the city reviews its plan document and
confirms it; a ward uploads its own plan, links it to the city's task from a list and confirms; tasks
assigns both. Screenshots in test-artifacts/review/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support import ARTIFACTS
from tests.support import workspace_world as w
from tests.support.intake import plan_documents as docs
from tests.support.system import System
from tests.support.workspace_world import choose_password, labelled_and_keyboard_first, sign_in

pytestmark = pytest.mark.e2e
SHOTS = ARTIFACTS / "review"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assignments(system: System, plan_id: str, count: int) -> list[dict[str, Any]]:
    def fetch() -> list[dict[str, Any]] | None:
        url = f"{system.url('tasks')}/assignments"
        found = httpx.get(url, params={"plan_id": plan_id}, headers=w.AUTH, timeout=10).json()
        return found if len(found) >= count else None

    return w.wait_for(fetch, f"{count} assignments of plan {plan_id}", timeout=120)


def task(page: Page, ref: str) -> Any:
    return page.locator(f'li[data-ref="{ref}"]')


def choose(select: Any, text: str) -> None:
    """Pick an option by (part of) its label, as a person reading the list does."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def upload(page: Page, base: str, path: Path) -> str:
    page.goto(base + "/workspace/plans")
    page.get_by_label("Văn bản kế hoạch", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và đọc bản nháp").click()
    expect(page.locator("h1")).to_have_text("Kiểm tra bản nháp kế hoạch")
    return page.url.rsplit("/", 1)[-1].split("?")[0]


def the_city_reviews_and_confirms(browser: Browser, base: str, tmp: Path, temporary: str) -> str:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = sign_in(context, base, "/workspace/plans", "mai.pham", temporary)
    choose_password(page, temporary)
    source = tmp / "ke-hoach-311.docx"
    source.write_bytes(docs.city_plan())
    plan_id = upload(page, base, source)
    expect(page.locator("#calendar-warning")).to_be_visible()
    expect(page.locator("#flags-summary")).to_contain_text("Còn 2 nhiệm vụ cần kiểm tra")
    expect(task(page, "II.2").locator(".source")).to_contain_text(docs.MERGED)
    labelled_and_keyboard_first(page)
    shot(page, "city-draft")

    page.get_by_role("button", name="Xác nhận kế hoạch").click()  # at once: refused, said at each task
    expect(page.locator("#form-error")).to_be_visible()
    expect(task(page, "II.1").locator(".field-error")).to_contain_text("cần kiểm tra thời hạn")
    expect(task(page, "II.3").locator("#t2_checked-error")).to_contain_text("cần kiểm tra đơn vị chủ trì")
    expect(task(page, "II.3").locator("#t2_task-error")).to_contain_text("Ban Pháp chế liên ngành")
    shot(page, "city-refused")

    task(page, "II.3").get_by_label("Chủ trì").fill("Sở Tư pháp")
    task(page, "II.2").get_by_label("Xử lý", exact=True).select_option("split")
    task(page, "II.2").get_by_label("Tách thành").fill(
        "Rà soát văn bản quy phạm pháp luật\nTổ chức tập huấn nghiệp vụ cho cán bộ"
    )
    task(page, "II.4").get_by_label("Xử lý", exact=True).select_option("drop")
    expect(page.get_by_label("6 tháng")).to_be_checked()  # the city's default calendar, offered
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator("#notice")).to_have_text("Đã lưu bản nháp.")
    expect(page.locator("#flags-summary")).to_contain_text("Còn 1 nhiệm vụ cần kiểm tra")
    assert page.locator("li.task").count() == 4 and task(page, "II.4").count() == 0
    shot(page, "city-saved")

    task(page, "II.1").get_by_label("Đã kiểm tra, đúng như văn bản").check()
    page.get_by_role("button", name="Xác nhận kế hoạch").click()
    expect(page.locator("#notice")).to_contain_text("Đã xác nhận kế hoạch")
    shot(page, "city-confirmed")
    context.close()
    return plan_id


def the_ward_links_its_plan(browser: Browser, base: str, tmp: Path, temporary: str) -> str:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # a phone
    page = sign_in(context, base, "/workspace/plans", "hoa.nguyen", temporary)
    choose_password(page, temporary)
    source = tmp / "ke-hoach-52.docx"
    source.write_bytes(docs.ward_plan())
    plan_id = upload(page, base, source)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    choose(page.get_by_label("Thực hiện kế hoạch nào"), "311/KH-UBND")
    page.get_by_role("button", name="Lưu bản nháp").click()
    link = task(page, "II.1").get_by_label("Thực hiện nhiệm vụ của kế hoạch cấp trên")
    choose(link, "II.2.1. Rà soát")
    shot(page, "ward-linked")
    page.get_by_role("button", name="Xác nhận kế hoạch").click()
    expect(page.locator("#notice")).to_contain_text("Đã xác nhận kế hoạch")
    shot(page, "ward-confirmed")
    context.close()
    return plan_id


def the_city_revises_a_task(browser: Browser, base: str, plan_id: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = sign_in(context, base, f"/workspace/plans/{plan_id}", "mai.pham", w.PASSWORD)
    expect(page.locator("h1")).to_contain_text("Kế hoạch đã xác nhận (phiên bản 1)")
    task(page, "II.3").get_by_label("Thời hạn").fill("Trước ngày 30/11/2027")
    page.get_by_role("button", name="Xác nhận phiên bản sửa đổi").click()
    expect(page.locator("h1")).to_contain_text("phiên bản 2")
    shot(page, "city-revised")
    context.close()


def test_the_city_and_a_ward_review_their_plan_documents_and_tasks_assigns_them(
    system: System, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium is not installed: run `make system-deps`")
    city_password = w.person(system, "mai.pham", "Phạm Thị Mai", "HP")
    ward_password = w.person(system, "hoa.nguyen", "Nguyễn Thị Hoa", w.WARD)
    base = system.url("intake")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        city_plan = the_city_reviews_and_confirms(browser, base, tmp_path, city_password)
        given = assignments(system, city_plan, 4)
        refs = {a["task_ref"] for a in given}
        assert refs == {"II.1", "II.2.1", "II.2.2", "II.3"}  # split, general clause dropped
        assert any(a["task_ref"] == "II.2.1" and a["unit"] == w.WARD for a in given)
        ward_plan = the_ward_links_its_plan(browser, base, tmp_path, ward_password)
        [own] = assignments(system, ward_plan, 1)
        assert own["unit"] == "11407.VP" and own["task_ref"] == "II.1"
        # A later change to a task reaches its unit as a change of the same assignment, not a new one.
        the_city_revises_a_task(browser, base, city_plan)

        def revised() -> dict[str, Any] | None:
            found = [a for a in assignments(system, city_plan, 4) if a["task_ref"] == "II.3"]
            return found[0] if found and found[0]["revision"] == 2 else None

        changed = w.wait_for(revised, "II.3's assignment at revision 2", timeout=120)
        assert changed["id"] == next(a["id"] for a in given if a["task_ref"] == "II.3")
        assert len(assignments(system, city_plan, 4)) == len(given)
        browser.close()
    stored = httpx.get(f"{base}/plans/{ward_plan}", headers=w.AUTH, timeout=10).json()
    assert stored["content"]["implements_plan_id"] == city_plan
    assert stored["content"]["tasks"][0]["implements_task_ref"] == "II.2.1"

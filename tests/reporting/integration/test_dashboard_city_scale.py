"""The plan page at city scale in Debian's Chromium, with script turned off: filters, search, paging, overdue.

134 units × 8 tasks go in by the real broker; every figure the page shows is checked against the
compiler on the service's own store. Screenshots (desktop and a 390-pixel phone) go to test-artifacts/.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from dondoc.directory import load_default_directory
from services.reporting.domain import Submission, TaskStatus
from shared.events import (
    Event,
    PlanReceived,
    PlanTask,
    ReportDue,
    ReportSubmitted,
    ResultSubmitted,
    TaskAssigned,
    Timeframe,
    UnitRef,
)
from tests.support import ADMIN_TOKEN, ARTIFACTS
from tests.support.reporting import dashboard_world as world
from tests.support.reporting.dashboard_world import sign_in

SHOTS = ARTIFACTS / "dashboard"
pytestmark = pytest.mark.integration
PLAN = "kh-city-scale"
PAGE = f"/dashboard/plans/{PLAN}"
PERIOD = "2026-Q2"
OVERDUE = TaskStatus.OVERDUE.value
DUES = [date(2026, 3, 31), date(2026, 6, 30), date(2026, 12, 31), None]


def city_events(units: list[str]) -> list[Event]:
    """A plan of 8 tasks for 134 units (the first unit of each four leads), results for about half."""
    rng = random.Random(19)
    names = {u.code: u.name for u in load_default_directory().list_units()}
    refs = [f"PL.{i}" for i in range(1, 9)]
    dues = {ref: DUES[i % 4] for i, ref in enumerate(refs)}
    tasks = [
        PlanTask(ref=r, title=f"Nhiệm vụ {r} của kế hoạch", timeframe=Timeframe(kind="deadline", due=dues[r]))
        for r in refs
    ]
    issuer = UnitRef(text="UBND thành phố Hải Phòng", unit="HP")
    found: list[Event] = [
        PlanReceived(
            plan_id=PLAN, number="20/KH-UBND", title="Kế hoạch quy mô thành phố", issuer=issuer, tasks=tasks
        )
    ]
    for ref in refs:
        for i, unit in enumerate(units):
            found.append(
                TaskAssigned(
                    assignment_id=f"{ref}:{unit}",
                    plan_id=PLAN,
                    plan_version=1,
                    plan_title="Kế hoạch quy mô thành phố",
                    task_ref=ref,
                    task_title=f"Nhiệm vụ {ref} của kế hoạch",
                    unit=unit,
                    unit_name=names[unit],
                    role="chu_tri" if i % 4 == 0 else "phoi_hop",
                    timeframe=Timeframe(kind="deadline", due=dues[ref]),
                )
            )
            if rng.random() < 0.5:
                done = date(2026, 1, 5) + timedelta(days=rng.randrange(180))
                found.append(
                    ResultSubmitted(
                        result_id=f"kq-{ref}-{unit}",
                        assignment_id=f"{ref}:{unit}",
                        unit=unit,
                        version=1,
                        status="hoan_thanh",
                        completed_on=done,
                        output="Văn bản số 12/UBND-VP",
                        submitted_at=world._at(done),
                    )
                )
    for unit in units:
        found.append(
            ReportDue(
                obligation_id="ob",
                unit=unit,
                period_id=PERIOD,
                window_start=date(2026, 4, 1),
                window_end=date(2026, 6, 30),
                deadline=date(2026, 7, 5),
                plan_id=PLAN,
            )
        )
        if rng.random() < 0.8:
            found.append(
                ReportSubmitted(
                    report_id=f"bc-{unit}",
                    unit=unit,
                    period_id=PERIOD,
                    version=1,
                    plan_id=PLAN,
                    submitted_at=world._at(date(2026, 7, 2)),
                )
            )
    return found


def follow(page: Page, control: Locator) -> None:
    """Click a link or a form's button and wait for the page it leads to (without script, every filter
    and page is a navigation; reading the grid right after the click could read the old page, or none)."""
    with page.expect_navigation():
        control.click()


def shown_units(page: Page) -> list[str]:
    return [r.get_attribute("data-unit") or "" for r in page.locator("#grid tbody tr").all()]


def matched(page: Page) -> int:
    return int(page.locator("#grid-count").get_attribute("data-matched") or -1)


def choose(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).select_option(value)


def check_filters(page: Page, sub: Submission) -> None:
    """Each filter in turn through the form (no script), against the compiled submission."""
    order = [u.unit.code for u in sub.units if u.results]
    kinds = {u.unit.code: u.unit.kind for u in sub.units}
    choose(page, "Loại đơn vị", "xa")
    follow(page, page.get_by_role("button", name="Lọc"))
    communes = [c for c in order if kinds[c] == "xa"]
    assert matched(page) == len(communes) and shown_units(page) == communes[:20]
    expect(page.get_by_label("Loại đơn vị", exact=True)).to_have_value("xa")  # the choice stays on the page
    shot(page, "city-scale-communes")
    follow(page, page.get_by_role("link", name="Bỏ lọc"))
    assert matched(page) == len(order)

    task = next(t for t in sub.tasks if any(u.status is TaskStatus.OVERDUE for u in t.units))
    late = [c for c in order if any(u.unit_code == c and u.status is TaskStatus.OVERDUE for u in task.units)]
    choose(page, "Tình trạng", OVERDUE)
    choose(page, "Nhiệm vụ", task.ref)
    follow(page, page.get_by_role("button", name="Lọc"))
    assert matched(page) == len(late) and shown_units(page) == late[:20]
    assert page.locator("#grid thead th").all_inner_texts()[1:] == [task.ref]  # one task: one column
    cells = page.locator("#grid tbody td").all()
    assert cells and all(c.get_attribute("data-status") == OVERDUE for c in cells)
    follow(page, page.get_by_role("link", name="Bỏ lọc"))

    silent = [
        c for c in order if any(u.unit_code == c and not u.reported for t in sub.tasks for u in t.units)
    ]
    choose(page, "Chưa báo cáo", "ket-qua")
    follow(page, page.get_by_role("button", name="Lọc"))
    assert matched(page) == len(silent)
    choose(page, "Chưa báo cáo", "dinh-ky")
    follow(page, page.get_by_role("button", name="Lọc"))
    assert matched(page) == sum(
        1 for r in sub.reporting.by_unit if r.missing_periods and r.unit_code in order
    )
    follow(page, page.get_by_role("link", name="Bỏ lọc"))

    an_bien = next(u.unit for u in sub.units if u.unit.code == "11407")
    page.get_by_label("Tìm đơn vị").fill("an bien")  # no diacritics, as people type on a phone
    follow(page, page.get_by_role("button", name="Lọc"))
    assert "11407" in shown_units(page)
    expect(page.locator('#grid tr[data-unit="11407"] th a')).to_have_text(an_bien.name)
    follow(page, page.get_by_role("link", name="Bỏ lọc"))


def check_paging(page: Page, sub: Submission) -> None:
    order = [u.unit.code for u in sub.units if u.results]
    assert matched(page) == len(order) == 134 and shown_units(page) == order[:20]
    follow(page, page.get_by_role("link", name="Trang 2", exact=True))
    assert shown_units(page) == order[20:40]
    expect(page.locator('.pager [aria-current="page"]')).to_have_text("Trang 2")
    follow(page, page.get_by_role("link", name="Trang 7", exact=True))
    assert shown_units(page) == order[120:]
    assert "Hiển thị đơn vị 121–134 trong 134 đơn vị." in page.locator("#grid-count").inner_text()
    follow(page, page.get_by_role("link", name="‹ Trang trước"))
    assert shown_units(page) == order[100:120]


def check_overdue(page: Page, sub: Submission) -> None:
    by_task = {
        r.get_attribute("data-task"): int(r.get_attribute("data-count") or 0)
        for r in page.locator("#overdue-by-task tbody tr").all()
    }
    want = {t.ref: sum(u.status is TaskStatus.OVERDUE for u in t.units) for t in sub.tasks}
    assert by_task == {ref: n for ref, n in want.items() if n}
    by_unit = {
        r.get_attribute("data-unit"): int(r.get_attribute("data-count") or 0)
        for r in page.locator("#overdue-by-unit tbody tr").all()
    }
    assert by_unit == {
        u.unit.code: n for u in sub.units if (n := sum(r.status is TaskStatus.OVERDUE for r in u.results))
    }
    assert int(page.locator('[data-figure="overdue"]').inner_text().replace(".", "")) == sum(by_task.values())


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_plan_page_at_city_scale_filters_searches_and_pages_without_script(
    broker: str, tmp_path: Path
) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium is not installed: run `make system-deps`")
    directory = load_default_directory()
    # the city's 127 departments, wards, communes and special zones, and its other bodies: 134 units
    kinds = ("phuong", "xa", "dac_khu", "department", "coordinating_body", "board", "council")
    units = sorted(u.code for u in directory.list_units() if u.kind in kinds)[:134]
    assert len(units) == 134 and "11407" in units
    found = city_events(units)
    with world.serve(broker, tmp_path) as service, sync_playwright() as playwright:
        world.run(world.publish(broker, found))
        world.wait_for(service.db, "SELECT count(*) FROM assignment_view", 134 * 8, timeout=120)
        results = sum(isinstance(e, ResultSubmitted) for e in found)
        world.wait_for(service.db, "SELECT count(*) FROM result_view", results, timeout=120)
        reports = sum(isinstance(e, ReportSubmitted) for e in found)
        world.wait_for(service.db, "SELECT count(*) FROM report_view", reports, timeout=60)
        world.wait_for(service.db, "SELECT count(*) FROM expected_report_view", 134, timeout=60)
        sub = world.compiled(service.db, PERIOD, PLAN)
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        desk = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
        page = sign_in(desk, service.url, ADMIN_TOKEN, PAGE)
        page.goto(f"{service.url}{PAGE}?period={PERIOD}")
        expect(page.locator("h1")).to_have_text("Kế hoạch quy mô thành phố")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 5 * 900, f"the page is {height} px high"  # a few screens, not 20,000 pixels
        shot(page, "city-scale")
        check_paging(page, sub)
        page.goto(f"{service.url}{PAGE}?period={PERIOD}")
        check_filters(page, sub)
        check_overdue(page, sub)
        unlabelled = (
            "[...document.querySelectorAll('select, input:not([type=hidden])')].filter(e => !e.labels.length)"
        )
        assert page.evaluate(f"{unlabelled}.length") == 0
        # a value the plan does not hold: explained next to its field, the rest of the page still there
        answer = page.goto(f"{service.url}{PAGE}?period={PERIOD}&task=PL.99&kind=quan")
        assert answer is not None and answer.status == 400
        expect(page.locator("#f-task-error")).to_contain_text("Kế hoạch không có nhiệm vụ PL.99")
        expect(page.locator("#f-kind-error")).to_be_visible()
        assert page.get_by_label("Nhiệm vụ", exact=True).get_attribute("aria-describedby") == "f-task-error"
        assert matched(page) == 134
        shot(page, "city-scale-errors")
        phone = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}, device_scale_factor=2
        )
        small = sign_in(phone, service.url, ADMIN_TOKEN, PAGE)
        small.goto(f"{service.url}{PAGE}?period={PERIOD}")
        expect(small.locator("h1")).to_have_text("Kế hoạch quy mô thành phố")
        # the grid scrolls inside its own box; the page itself never scrolls sideways
        assert small.evaluate("document.documentElement.scrollWidth") <= 390
        small.get_by_label("Tìm đơn vị").fill("an bien")
        follow(small, small.get_by_role("button", name="Lọc"))
        assert "11407" in shown_units(small)
        shot(small, "city-scale-phone")
        browser.close()

"""The dashboard's view models and charts, checked against the scenario recounted by hand."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from dondoc.kernel.periods import period_label
from services.reporting.domain import ReportingInputs, Submission, TaskStatus, compile_submission
from services.reporting.domain.rates import Rate
from services.reporting.web import charts, plan_view, views
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, scenario
from tests.support.reporting.recount import (
    IN_PROGRESS,
    LATE,
    ON_TIME,
    OVERDUE,
    assignment_statuses,
    percent_text,
    report_counts,
    visible_result,
)

CODE = {
    TaskStatus.DONE_ON_TIME.value: ON_TIME,
    TaskStatus.DONE_LATE.value: LATE,
    TaskStatus.IN_PROGRESS.value: IN_PROGRESS,
    TaskStatus.OVERDUE.value: OVERDUE,
}
SVG = "{http://www.w3.org/2000/svg}"
PER_PAGE = 4  # the scenario's 14 units over four pages


@pytest.fixture(scope="module")
def inputs() -> ReportingInputs:
    return scenario()


@pytest.fixture(scope="module")
def submission(inputs: ReportingInputs) -> Submission:
    return compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)


def test_each_status_reads_by_colour_symbol_and_words_all_distinct() -> None:
    looks = list(views.LEGEND)
    assert [s.label for s in looks] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn chưa hoàn thành",
    ]
    for attribute in ("css", "symbol", "short", "code"):
        assert len({getattr(s, attribute) for s in looks}) == 4, attribute


def test_summary_counts_assignments_by_status_as_recounted(
    inputs: ReportingInputs, submission: Submission
) -> None:
    summary = views.summary(submission)
    statuses = assignment_statuses(inputs, AS_OF)
    assert summary.assignments.total == len(inputs.assignments)
    for item in summary.assignments.items:
        expected = sum(1 for s in statuses.values() if s == CODE[item.style.code])
        assert item.count == expected, item.style.label
        assert item.share == percent_text(expected, len(inputs.assignments))
    silent = sum(1 for a in inputs.assignments if visible_result(inputs, a.id, AS_OF) is None)
    assert summary.not_reported == silent > 0
    assert summary.tasks.total == len(inputs.tasks)


def test_reporting_rates_are_the_recounted_completeness_and_timeliness(
    inputs: ReportingInputs, submission: Submission
) -> None:
    rates = views.summary(submission).reporting
    every = {u.code for u in inputs.units}
    expected, received, on_time = report_counts(inputs, every, PERIOD_START, PERIOD_END)
    assert (rates.expected, rates.received, rates.on_time) == (expected, received, on_time)
    assert rates.completeness.text == percent_text(received, expected)
    assert rates.timeliness.text == percent_text(on_time, expected)


def _every_page(submission: Submission) -> list[plan_view.Row]:
    first = plan_view.grid_page(submission, plan_view.Filters(), PER_PAGE)
    rows = list(first.rows)
    for n in range(2, first.pages + 1):
        more = plan_view.grid_page(submission, plan_view.Filters(page=n), PER_PAGE)
        rows += more.rows
    assert len(rows) == first.matched and all(len(r.cells) == len(first.columns) for r in rows)
    return rows


def test_grid_has_a_cell_for_every_assignment_and_only_those_across_its_pages(
    inputs: ReportingInputs, submission: Submission
) -> None:
    first = plan_view.grid_page(submission, plan_view.Filters(), PER_PAGE)
    statuses = assignment_statuses(inputs, AS_OF)
    refs = {t.id: t.ref for t in inputs.tasks}
    assigned = {(a.unit_code, refs[a.task_id]): statuses[a.id] for a in inputs.assignments}
    assert [c.ref for c in first.columns] == [f"PL.{i}" for i in range(1, 18)]
    assert len(first.rows) == PER_PAGE and first.pages == -(-first.matched // PER_PAGE) > 1
    seen = {}
    for row in _every_page(submission):
        for cell in row.cells:
            if cell.style is not None:
                seen[(row.unit_code, cell.ref)] = CODE[cell.style.code]
    assert seen == assigned
    # Departments come before wards, as in the report.
    kinds = {u.code: u.kind for u in inputs.units}
    order = [kinds[r.unit_code] for r in _every_page(submission)]
    assert order.index("phuong") > order.index("department")


def test_grid_marks_cells_without_a_result(inputs: ReportingInputs, submission: Submission) -> None:
    refs = {t.id: t.ref for t in inputs.tasks}
    silent = {
        (a.unit_code, refs[a.task_id])
        for a in inputs.assignments
        if visible_result(inputs, a.id, AS_OF) is None
    }
    marked = {
        (row.unit_code, cell.ref)
        for row in _every_page(submission)
        for cell in row.cells
        if cell.style is not None and not cell.reported
    }
    assert marked == silent


def test_overdue_is_grouped_by_task_longest_first_and_by_unit_most_first(
    inputs: ReportingInputs, submission: Submission
) -> None:
    statuses = assignment_statuses(inputs, AS_OF)
    refs = {t.id: t.ref for t in inputs.tasks}
    due = {t.id: t.due for t in inputs.tasks if t.due is not None}  # an overdue task has a due date
    late = [a for a in inputs.assignments if statuses[a.id] == OVERDUE]
    assert late
    by_task = plan_view.overdue_by_task(submission)
    assert {t.ref: t.count for t in by_task} == {
        refs[a.task_id]: sum(1 for b in late if b.task_id == a.task_id) for a in late
    }
    for group in by_task:
        leads = {a.unit_code for a in late if refs[a.task_id] == group.ref and a.role == "chu_tri"}
        assert {code for code, _ in group.leads} == leads
        assert group.days_late == max(
            (AS_OF - due[a.task_id]).days for a in late if refs[a.task_id] == group.ref
        )
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", group.due)
    assert [t.days_late for t in by_task] == sorted((t.days_late for t in by_task), reverse=True)
    by_unit = plan_view.overdue_by_unit(submission)
    assert {(u.unit_code, ref) for u in by_unit for ref in u.refs} == {
        (a.unit_code, refs[a.task_id]) for a in late
    }
    assert [len(u.refs) for u in by_unit] == sorted((len(u.refs) for u in by_unit), reverse=True)


def test_missing_reports_are_the_units_whose_report_never_arrived(
    inputs: ReportingInputs, submission: Submission
) -> None:
    arrived = {(r.unit_code, r.period_id) for r in inputs.received_reports}
    owing = {
        e.unit_code
        for e in inputs.expected_reports
        if PERIOD_START <= e.deadline <= PERIOD_END and (e.unit_code, e.period_id) not in arrived
    }
    found = views.missing_reports(submission)
    assert {m.unit_code for m in found} == owing
    assert owing
    assert all(m.missing == (period_label("2026-H1"),) for m in found)


def test_silent_units_list_the_tasks_without_a_result(
    inputs: ReportingInputs, submission: Submission
) -> None:
    refs = {t.id: t.ref for t in inputs.tasks}
    expected: dict[str, set[str]] = {}
    for a in inputs.assignments:
        if visible_result(inputs, a.id, AS_OF) is None:
            expected.setdefault(a.unit_code, set()).add(refs[a.task_id])
    assert {s.unit_code: set(s.task_refs) for s in views.silent_units(submission)} == expected


def test_timeline_counts_each_period_on_its_own(inputs: ReportingInputs) -> None:
    points = views.timeline(inputs, ["2025-N", "2026-H1"], AS_OF)
    every = {u.code for u in inputs.units}
    earlier = report_counts(inputs, every, date(2025, 12, 1), date(2025, 12, 31))
    later = report_counts(inputs, every, date(2026, 6, 1), date(2026, 6, 30))
    assert [(p.expected, p.received, p.on_time) for p in points] == [earlier, later]
    assert points[0].completeness.text == "0%"  # nobody sent the earlier period's report
    assert points[1].completeness.text == percent_text(later[1], later[0])


def test_assignment_ids_link_each_unit_line_to_its_assignment(inputs: ReportingInputs) -> None:
    links = views.assignment_ids(inputs)
    assert links[("STP", "PL.3")] == "a-PL.3-STP"
    assert len(links) == len(inputs.assignments)


def test_rates_chart_is_titled_svg_with_one_bar_per_period_and_series(inputs: ReportingInputs) -> None:
    points = views.timeline(inputs, ["2025-N", "2026-H1"], AS_OF)
    svg = ET.fromstring(str(charts.rates_chart(points)))
    assert svg.get("role") == "img"
    labelled = (svg.get("aria-labelledby") or "").split()
    ids = {e.get("id"): e for e in svg.iter() if e.get("id")}
    assert all(i in ids for i in labelled)
    assert ids["rates-title"].text == "Tỷ lệ báo cáo đầy đủ và đúng hạn theo kỳ báo cáo"
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 4
    titles = [b.findtext(f"{SVG}title") for b in bars]
    later = points[1]
    assert f"{later.label} — Tỷ lệ đầy đủ: {later.completeness.text}" in titles
    assert f"{later.label} — Tỷ lệ đúng hạn: {later.timeliness.text}" in titles
    # Heights follow the shares: the full plot height is 100%.
    heights = {b.findtext(f"{SVG}title"): float(b.get("height", "0")) for b in bars}
    share = later.received / later.expected
    assert heights[f"{later.label} — Tỷ lệ đầy đủ: {later.completeness.text}"] == pytest.approx(
        188 * share, abs=0.1
    )


def test_status_bar_splits_by_status_and_says_it_in_words(submission: Submission) -> None:
    counts = views.summary(submission).assignments
    svg = ET.fromstring(str(charts.status_bar(counts, "a", "Lượt đơn vị theo tình trạng")))
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    for item in counts.items:
        assert f"{item.style.label}: {item.count} ({item.share})" in desc.text
    widths = [float(r.get("width", "0")) for r in svg.iter(f"{SVG}rect")]
    assert sum(widths) == pytest.approx(640, abs=0.5)
    assert len(widths) == sum(1 for i in counts.items if i.count)


def test_chart_text_is_escaped() -> None:
    point = views.PeriodPoint(
        "<x>", "<script>", 1, 1, 0, Rate(1, 1), Rate(0, 1)
    )  # labels never come from users, but markup must still be inert
    rendered = str(charts.rates_chart([point]))
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_local_times_are_shown_in_hai_phong() -> None:
    from datetime import UTC, datetime

    assert views.when(datetime(2026, 6, 10, 17, 30, tzinfo=UTC)) == "11/06/2026 00:30"


def test_an_attachment_links_only_to_an_http_address() -> None:
    from services.reporting.web.views import attachment

    evidence = "biên bản.pdf: https://dondoc.example/workspace/evidence/e-1"
    assert attachment(evidence) == ("biên bản.pdf", "https://dondoc.example/workspace/evidence/e-1")
    assert attachment("x: javascript:alert(1)") == ("x: javascript:alert(1)", None)
    assert attachment("Văn bản số 12/UBND-VP") == ("Văn bản số 12/UBND-VP", None)

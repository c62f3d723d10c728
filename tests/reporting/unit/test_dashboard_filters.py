"""The plan page's filters and search, checked against the scenario's assignments recounted by hand."""

from __future__ import annotations

from typing import TypedDict, Unpack

import pytest

from services.reporting.domain import ReportingInputs, Submission, TaskStatus, compile_submission
from services.reporting.web.plan_view import Filters, grid_page, parse_filters
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, scenario
from tests.support.reporting.recount import OVERDUE, assignment_statuses, visible_result


@pytest.fixture(scope="module")
def inputs() -> ReportingInputs:
    return scenario()


@pytest.fixture(scope="module")
def submission(inputs: ReportingInputs) -> Submission:
    return compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)


class Asked(TypedDict, total=False):
    kind: str
    status: str
    task: str
    report: str
    q: str


def _units(sub: Submission, **asked: Unpack[Asked]) -> set[str]:
    page = grid_page(sub, Filters(**asked), per_page=1000)
    return {row.unit_code for row in page.rows}


def test_a_unit_type_keeps_only_units_of_that_type(inputs: ReportingInputs, submission: Submission) -> None:
    assert _units(submission, kind="xa") == {"10606", "10615"}
    assert _units(submission, kind="department") == {u.code for u in inputs.units if u.kind == "department"}


def test_search_ignores_case_and_diacritics_and_finds_codes(submission: Submission) -> None:
    assert _units(submission, q="hai duong") == {"10525"}
    assert _units(submission, q="ĐẶC KHU") == {"11914", "11948"}
    assert _units(submission, q="10606") == {"10606"}
    assert _units(submission, q="không có đơn vị này") == set()


def test_a_task_narrows_the_columns_and_the_units_to_those_given_it(
    inputs: ReportingInputs, submission: Submission
) -> None:
    page = grid_page(submission, Filters(task="PL.2"), per_page=1000)
    assert [c.ref for c in page.columns] == ["PL.2"]
    given = {a.unit_code for a in inputs.assignments if a.task_id.endswith("PL.2")}
    assert {row.unit_code for row in page.rows} == given


def test_a_status_keeps_units_with_an_assignment_in_it(
    inputs: ReportingInputs, submission: Submission
) -> None:
    statuses = assignment_statuses(inputs, AS_OF)
    late = {a.unit_code for a in inputs.assignments if statuses[a.id] == OVERDUE}
    assert late and _units(submission, status=TaskStatus.OVERDUE.value) == late


def test_not_reported_keeps_units_missing_a_result_or_a_periodic_report(
    inputs: ReportingInputs, submission: Submission
) -> None:
    silent = {a.unit_code for a in inputs.assignments if visible_result(inputs, a.id, AS_OF) is None}
    assert _units(submission, report="ket-qua") == silent
    arrived = {(r.unit_code, r.period_id) for r in inputs.received_reports}
    owing = {
        e.unit_code
        for e in inputs.expected_reports
        if PERIOD_START <= e.deadline <= PERIOD_END and (e.unit_code, e.period_id) not in arrived
    }
    assigned = {a.unit_code for a in inputs.assignments}
    assert _units(submission, report="dinh-ky") == owing & assigned


def test_values_the_plan_does_not_hold_are_explained_next_to_their_field(submission: Submission) -> None:
    parsed = parse_filters(
        {"kind": "quan", "status": "xong", "task": "PL.99", "report": "x", "q": "a" * 101, "page": "-3"},
        submission,
    )
    assert parsed.filters == Filters()
    assert set(parsed.errors) == {"kind", "status", "task", "report", "q", "page"}
    assert "PL.99" in parsed.errors["task"]
    assert parse_filters({"kind": "xa", "page": "2"}, submission) == parse_filters(
        {"kind": "xa", "page": "2"}, submission
    )
    assert parse_filters({"kind": "xa", "page": "2"}, submission).errors == {}


def test_links_keep_the_filters_and_a_page_past_the_end_shows_the_last(submission: Submission) -> None:
    filters = Filters(kind="phuong", q="hải", page=9)
    assert filters.query("2026-Q2", page=2) == "?period=2026-Q2&kind=phuong&q=h%E1%BA%A3i&page=2"
    assert filters.query(None, kind="") == "?period=all&q=h%E1%BA%A3i"
    page = grid_page(submission, filters, per_page=1)
    assert page.page == page.pages == page.matched

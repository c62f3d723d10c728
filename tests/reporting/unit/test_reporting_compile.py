"""Compiling the city submission: figures recounted by hand from the scenario must match."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TypeVar

import pytest

from services.reporting.domain import ReportingInputs, Submission, TaskStatus, compile_submission
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, UNAPPROVED_TEXT, scenario
from tests.support.reporting.recount import (
    IN_PROGRESS,
    LATE,
    ON_TIME,
    OVERDUE,
    assignment_statuses,
    percent_text,
    report_counts,
    task_status,
    visible_result,
)

T = TypeVar("T")
CODE = {
    TaskStatus.DONE_ON_TIME: ON_TIME,
    TaskStatus.DONE_LATE: LATE,
    TaskStatus.IN_PROGRESS: IN_PROGRESS,
    TaskStatus.OVERDUE: OVERDUE,
}


@pytest.fixture(scope="module")
def inputs() -> ReportingInputs:
    return scenario()


@pytest.fixture(scope="module")
def submission(inputs: ReportingInputs) -> Submission:
    return compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)


def test_every_assignment_is_judged_against_due_and_completion_dates(
    inputs: ReportingInputs, submission: Submission
) -> None:
    expected = assignment_statuses(inputs, AS_OF)
    names = {u.code: u.name for u in inputs.units}
    by_task = {t.task_id: t for t in submission.tasks}
    for a in inputs.assignments:
        unit = next(u for u in by_task[a.task_id].units if u.unit_code == a.unit_code)
        assert CODE[unit.status] == expected[a.id], (a.id, names[a.unit_code])
    assert len(set(expected.values())) == 4  # the scenario exercises all four statuses


def test_each_task_counts_its_units_by_status_and_names_those_that_reported_nothing(
    inputs: ReportingInputs, submission: Submission
) -> None:
    statuses = assignment_statuses(inputs, AS_OF)
    names = {u.code: u.name for u in inputs.units}
    assert [t.ref for t in submission.tasks] == [f"PL.{i}" for i in range(1, 18)]
    for summary in submission.tasks:
        mine = [a for a in inputs.assignments if a.task_id == summary.task_id]
        assert len(summary.units) == len(mine)
        for status, code in CODE.items():
            assert summary.counts.count(status) == sum(1 for a in mine if statuses[a.id] == code)
        silent = {names[a.unit_code] for a in mine if visible_result(inputs, a.id, AS_OF) is None}
        assert set(summary.not_reported) == silent
        outputs = {
            (names[a.unit_code], r.output)
            for a in mine
            if (r := visible_result(inputs, a.id, AS_OF)) is not None and r.output
        }
        assert {(q.unit_name, q.text) for q in summary.outputs} == outputs
        assert CODE[summary.status] == task_status(inputs, summary.task_id, AS_OF)


def test_city_totals_add_up_by_task_and_by_assignment(
    inputs: ReportingInputs, submission: Submission
) -> None:
    statuses = assignment_statuses(inputs, AS_OF)
    task_codes = [task_status(inputs, t.id, AS_OF) for t in inputs.tasks]
    for status, code in CODE.items():
        assert submission.assignment_counts.count(status) == list(statuses.values()).count(code)
        assert submission.task_counts.count(status) == task_codes.count(code)
    assert submission.task_counts.total == 17


def test_reporting_rates_for_city_unit_type_and_unit(inputs: ReportingInputs, submission: Submission) -> None:
    all_codes = {u.code for u in inputs.units}
    e, r, t = report_counts(inputs, all_codes, PERIOD_START, PERIOD_END)
    city = submission.reporting.city
    assert (city.expected, city.received, city.on_time) == (e, r, t)
    assert city.completeness.text == percent_text(r, e)
    assert city.timeliness.text == percent_text(t, e)
    assert city.completeness.fraction is not None and city.completeness.fraction * e == r
    kinds = {kind: row for kind, row in submission.reporting.by_kind}
    assert list(kinds) == ["department", "phuong", "xa", "dac_khu", "other"]
    for kind, row in kinds.items():
        codes = {u.code for u in inputs.units if u.kind == kind}
        assert (row.expected, row.received, row.on_time) == report_counts(
            inputs, codes, PERIOD_START, PERIOD_END
        )
    for unit_row in submission.reporting.by_unit:
        e, r, t = report_counts(inputs, {unit_row.unit_code}, PERIOD_START, PERIOD_END)
        assert (unit_row.rates.expected, unit_row.rates.received, unit_row.rates.on_time) == (e, r, t)
        assert bool(unit_row.missing_periods) == (r == 0)
        assert bool(unit_row.late_periods) == (r == 1 and t == 0)


def test_a_report_sent_before_midnight_in_hai_phong_is_on_time_even_if_utc_says_otherwise(
    submission: Submission,
) -> None:
    rows = {row.unit_code: row for row in submission.reporting.by_unit}
    # Sở Giáo dục sent at 23:30 local on the deadline, Sở Nội vụ at 00:30 local the day after.
    assert rows["SGD"].rates.on_time == 1
    assert rows["SNV"].late_periods == ("2026-H1",)


def test_difficulties_and_proposals_are_quoted_as_written_and_attributed(
    inputs: ReportingInputs, submission: Submission
) -> None:
    names = {u.code: u.name for u in inputs.units}
    quoted = {(q.unit_name, q.text) for q in submission.difficulties}
    for a in inputs.assignments:
        r = visible_result(inputs, a.id, AS_OF)
        if r is not None and r.difficulties:
            assert (names[a.unit_code], r.difficulties) in quoted
    assert all(UNAPPROVED_TEXT not in q.text for q in (*submission.difficulties, *submission.proposals))
    assert all("Vướng mắc cũ" not in q.text for q in submission.difficulties)  # superseded version
    periodic = [q for q in submission.proposals if q.source == "Báo cáo kỳ 2026-H1"]
    # A resent report replaces the first one's content (its arrival time still counts the first).
    assert periodic and all(
        q.text == f"Kiến nghị kỳ báo cáo của {q.unit_name} (bản gửi lại)" for q in periodic
    )


def test_cascade_lists_ward_plans_and_wards_still_without_one(
    inputs: ReportingInputs, submission: Submission
) -> None:
    rows = {row.task_ref: row for row in submission.cascade}
    pl2 = rows["PL.2"]
    assert [(p.unit_name, p.plan_number) for p in pl2.issued] == [
        ("Phường Thành Đông", "12/KH-UBND"),
        ("Đặc khu Cát Hải", "07/KH-UBND"),
    ]
    wards = {u.code for u in inputs.units if u.kind in ("phuong", "xa", "dac_khu")}
    assert len(pl2.pending) == len(wards) - 2
    assert pl2.coverage.text == percent_text(2, len(wards))
    assert "PL.6" not in rows  # no ward concerned


def test_narrative_fills_in_the_figures_and_leaves_placeholders_for_judgement(
    inputs: ReportingInputs, submission: Submission
) -> None:
    task_codes = [task_status(inputs, t.id, AS_OF) for t in inputs.tasks]
    on_time = task_codes.count(ON_TIME)
    text = "\n".join(p.text for s in submission.narrative for p in s.paragraphs)
    assert f"Tổng số 17 nhiệm vụ, đã hoàn thành đúng hạn {on_time} ({percent_text(on_time, 17)})" in text
    assert [s.heading for s in submission.narrative][1:] == [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    placeholders = [p.text for s in submission.narrative for p in s.paragraphs if p.kind == "placeholder"]
    assert placeholders and all(p.startswith("[") and p.endswith("]") for p in placeholders)
    assert "Phường Lê Thanh Nghị" in next(line for line in text.split("\n") if "chưa gửi báo cáo" in line)


def test_the_same_facts_in_any_order_compile_to_the_same_submission(
    inputs: ReportingInputs, submission: Submission
) -> None:
    rng = random.Random(5)

    def shuffled(items: tuple[T, ...]) -> tuple[T, ...]:
        order = list(items)
        rng.shuffle(order)
        return tuple(order)

    mixed = replace(
        inputs,
        tasks=shuffled(inputs.tasks),
        units=shuffled(inputs.units),
        assignments=shuffled(inputs.assignments),
        results=shuffled(inputs.results),
        expected_reports=shuffled(inputs.expected_reports),
        received_reports=shuffled(inputs.received_reports),
    )
    assert compile_submission(mixed, PERIOD_START, PERIOD_END, AS_OF) == submission


def test_a_period_that_ends_before_it_starts_is_refused(inputs: ReportingInputs) -> None:
    with pytest.raises(ValueError):
        compile_submission(inputs, PERIOD_END, PERIOD_START, AS_OF)

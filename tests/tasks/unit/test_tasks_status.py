"""Task status is judged from the due date and the completion date, never from message arrival."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from dondoc.kernel.status import TaskStatus
from services.tasks.domain.periods import reporting_period
from services.tasks.domain.status import judge, judge_period

D = date
DUE = D(2026, 5, 31)


def test_every_status_has_its_code_and_the_vietnamese_label_officials_use() -> None:
    expected = {
        "chua_den_han": "Chưa đến hạn",
        "dang_thuc_hien_trong_han": "Đang thực hiện trong hạn",
        "hoan_thanh_dung_han": "Hoàn thành đúng hạn",
        "hoan_thanh_qua_han": "Hoàn thành quá hạn",
        "qua_han_chua_hoan_thanh": "Quá hạn chưa hoàn thành",
    }
    assert {s.code: s.label for s in TaskStatus} == expected
    assert all(unicodedata.is_normalized("NFC", s.label) for s in TaskStatus)
    assert TaskStatus.from_code("hoan_thanh_qua_han") is TaskStatus.DONE_LATE


def test_work_completed_on_the_due_date_is_on_time() -> None:
    assert judge(DUE, None, completed_on=DUE, today=D(2026, 6, 10)) is TaskStatus.DONE_ON_TIME


def test_work_completed_the_day_after_the_due_date_is_late() -> None:
    assert judge(DUE, None, completed_on=D(2026, 6, 1), today=D(2026, 6, 1)) is TaskStatus.DONE_LATE


def test_a_result_reported_late_for_work_done_in_time_is_still_on_time() -> None:
    # The report arrives weeks after the due date; only the completion date counts.
    assert judge(DUE, None, completed_on=D(2026, 5, 20), today=D(2026, 7, 1)) is TaskStatus.DONE_ON_TIME


def test_unfinished_work_is_in_progress_until_the_due_date_and_overdue_the_day_after() -> None:
    assert judge(DUE, None, None, today=DUE) is TaskStatus.IN_PROGRESS
    assert judge(DUE, None, None, today=D(2026, 6, 1)) is TaskStatus.OVERDUE


def test_a_task_whose_start_has_not_come_is_not_yet_due() -> None:
    start = D(2026, 4, 1)
    assert judge(DUE, start, None, today=D(2026, 3, 31)) is TaskStatus.NOT_YET_DUE
    assert judge(DUE, start, None, today=start) is TaskStatus.IN_PROGRESS


def test_an_ongoing_task_without_a_due_date_is_never_overdue() -> None:
    assert judge(None, None, None, today=D(2030, 1, 1)) is TaskStatus.IN_PROGRESS
    assert judge(None, None, D(2026, 1, 1), today=D(2030, 1, 1)) is TaskStatus.DONE_ON_TIME


def test_a_periodic_report_is_judged_against_that_periods_deadline() -> None:
    s1 = reporting_period("semiannual", 2026, 1)  # 15/12/2025 – 14/6/2026
    deadline = D(2026, 6, 17)
    assert judge_period(s1, None, D(2025, 12, 1), deadline=deadline) is TaskStatus.NOT_YET_DUE
    assert judge_period(s1, None, D(2026, 6, 16), deadline=deadline) is TaskStatus.IN_PROGRESS
    assert judge_period(s1, None, D(2026, 6, 18), deadline=deadline) is TaskStatus.OVERDUE
    assert judge_period(s1, D(2026, 6, 17), D(2026, 7, 1), deadline=deadline) is TaskStatus.DONE_ON_TIME
    assert judge_period(s1, D(2026, 6, 19), D(2026, 7, 1), deadline=deadline) is TaskStatus.DONE_LATE


def test_each_period_of_a_recurring_task_gets_its_own_status() -> None:
    q1, q2 = reporting_period("quarterly", 2026, 1), reporting_period("quarterly", 2026, 2)
    today = D(2026, 6, 20)
    assert judge_period(q1, D(2026, 3, 16), today, deadline=D(2026, 3, 17)) is TaskStatus.DONE_ON_TIME
    assert judge_period(q2, None, today, deadline=D(2026, 6, 17)) is TaskStatus.OVERDUE


def test_a_deadline_before_the_period_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        judge_period(reporting_period("annual", 2026), None, D(2026, 1, 1), deadline=D(2025, 1, 1))

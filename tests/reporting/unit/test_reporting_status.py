"""Status judgement, result supersession and Vietnamese number formats."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dondoc.kernel.status import REPORTED_STATUSES
from services.reporting.domain import (
    Assignment,
    Plan,
    ReportingInputs,
    Result,
    Task,
    TaskStatus,
    Unit,
    compile_submission,
    judge_status,
)
from services.reporting.domain.rates import Rate
from services.reporting.domain.vi import vi_sort_key

DUE = date(2026, 5, 31)
ICT = timezone(timedelta(hours=7))


def test_done_on_the_due_date_is_on_time() -> None:
    assert judge_status(DUE, DUE, date(2026, 6, 20)) is TaskStatus.DONE_ON_TIME


def test_done_a_day_after_the_due_date_is_late() -> None:
    assert judge_status(DUE, DUE + timedelta(days=1), date(2026, 6, 20)) is TaskStatus.DONE_LATE


def test_not_done_on_the_due_date_is_still_in_time_and_overdue_the_day_after() -> None:
    assert judge_status(DUE, None, DUE) is TaskStatus.IN_PROGRESS
    assert judge_status(DUE, None, DUE + timedelta(days=1)) is TaskStatus.OVERDUE


def test_a_task_without_due_date_is_never_overdue_nor_late() -> None:
    assert judge_status(None, None, date(2030, 1, 1)) is TaskStatus.IN_PROGRESS
    assert judge_status(None, date(2029, 1, 1), date(2030, 1, 1)) is TaskStatus.DONE_ON_TIME


def test_a_completion_date_after_the_compile_day_does_not_count_yet() -> None:
    assert judge_status(DUE, DUE + timedelta(days=30), DUE + timedelta(days=2)) is TaskStatus.OVERDUE


def test_statuses_carry_their_vietnamese_labels() -> None:
    assert [s.label for s in REPORTED_STATUSES] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn chưa hoàn thành",
    ]


def _one_task(*results: Result) -> ReportingInputs:
    plan = Plan("p", "243/KH-UBND", "Kế hoạch", "UBND thành phố Hải Phòng", date(2025, 9, 16))
    return ReportingInputs(
        plan,
        (Task("t", "p", "1", "Nhiệm vụ", DUE),),
        (Unit("10507", "Phường Thành Đông", "phuong"),),
        (Assignment("a", "t", "10507", "chu_tri"),),
        results,
    )


def _result(version: int, done: date | None, approved: bool, day: int = 1) -> Result:
    at = datetime(2026, 6, day, 9, tzinfo=ICT)
    reported = "hoan_thanh" if done else "dang_thuc_hien"
    return Result("a", version, reported, done, f"Văn bản v{version}", "", "", "", at, approved)


def _status(*results: Result) -> TaskStatus:
    sub = compile_submission(_one_task(*results), date(2025, 12, 15), date(2026, 6, 14), date(2026, 6, 20))
    return sub.tasks[0].units[0].status


def test_a_later_approved_version_supersedes_an_earlier_one() -> None:
    assert _status(_result(1, None, True), _result(2, DUE, True)) is TaskStatus.DONE_ON_TIME
    assert _status(_result(2, DUE, True), _result(1, None, True)) is TaskStatus.DONE_ON_TIME
    assert _status(_result(1, DUE, True), _result(2, DUE + timedelta(days=5), True)) is TaskStatus.DONE_LATE


def test_an_unapproved_result_is_not_counted_and_the_last_approved_one_stands() -> None:
    assert _status(_result(1, DUE, False)) is TaskStatus.OVERDUE
    assert _status(_result(1, DUE, True), _result(2, None, False)) is TaskStatus.DONE_ON_TIME


def test_an_unapproved_only_result_leaves_the_unit_among_those_that_reported_nothing() -> None:
    sub = compile_submission(
        _one_task(_result(1, DUE, False)), date(2025, 12, 15), date(2026, 6, 14), date(2026, 6, 20)
    )
    assert sub.tasks[0].not_reported == ("Phường Thành Đông",)
    assert sub.tasks[0].outputs == ()


def test_rates_are_exact_and_printed_with_a_decimal_comma() -> None:
    assert Rate(171, 200).text == "85,5%"
    assert Rate(2, 3).text == "66,7%"
    assert Rate(1, 8).text == "12,5%"
    assert Rate(1, 2).text == "50%"
    assert Rate(0, 0).fraction is None and Rate(0, 0).text == "–"


def test_units_sort_in_vietnamese_alphabetical_order() -> None:
    names = ["Xã An Lão", "Phường Đồ Sơn", "Phường Dương Kinh", "Phường Ân Thi", "Phường An Biên"]
    assert sorted(names, key=vi_sort_key) == [
        "Phường An Biên",
        "Phường Ân Thi",
        "Phường Dương Kinh",
        "Phường Đồ Sơn",
        "Xã An Lão",
    ]

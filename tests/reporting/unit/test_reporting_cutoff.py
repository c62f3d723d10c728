"""A period is judged at its data cut-off; each ward counts once; empty answers are not quoted."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from services.reporting.domain import (
    Assignment,
    CascadeLink,
    Plan,
    ReportingInputs,
    Result,
    Task,
    TaskStatus,
    Unit,
    compile_submission,
)
from services.reporting.use_cases.generation import Scope, compile_scope

ICT = timezone(timedelta(hours=7))
PLAN = Plan("kh", "15/KH-UBND", "Kế hoạch thử", "UBND thành phố Hải Phòng", date(2026, 4, 2))
M11_START, M11_END = date(2026, 10, 15), date(2026, 11, 14)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=ICT)


def _result(assignment: str, done: date | None, reported: date, **text: str) -> Result:
    return Result(
        assignment,
        1,
        "hoan_thanh" if done else "dang_thuc_hien",
        done,
        text.get("output", "Văn bản số 1/UBND"),
        "",
        text.get("difficulties", ""),
        text.get("proposals", ""),
        _at(reported),
        True,
    )


def _inputs(results: tuple[Result, ...]) -> ReportingInputs:
    units = (Unit("W1", "Phường Một", "phuong"), Unit("W2", "Phường Hai", "phuong"))
    tasks = (
        Task("t1", "kh", "1", "Nhiệm vụ hạn 30/11", date(2026, 11, 30)),
        Task("t2", "kh", "2", "Nhiệm vụ hạn 10/11", date(2026, 11, 10)),
    )
    assignments = tuple(Assignment(f"{t.id}-{u.code}", t.id, u.code, "chu_tri") for t in tasks for u in units)
    return ReportingInputs(PLAN, tasks, units, assignments, results)


def test_a_closed_november_report_counts_no_december_completion_and_no_later_deadline_as_overdue() -> None:
    results = (
        _result("t1-W1", date(2026, 12, 3), date(2026, 12, 3)),  # done in December
        _result("t2-W1", date(2026, 11, 12), date(2026, 11, 16)),  # done in the window, sent after it
    )
    scope = Scope("kh", "2026-M11", M11_START, M11_END, as_of=date(2026, 12, 6))
    sub = compile_scope(_inputs(results), scope)
    assert sub.as_of == M11_END and sub.period_closed
    status = {(u.unit_code, t.ref): u.status for t in sub.tasks for u in t.units}
    # Task 1 fell due on 30/11, after the cut-off: in progress on 14/11, whatever December brought.
    assert status[("W1", "1")] is TaskStatus.IN_PROGRESS
    assert status[("W2", "1")] is TaskStatus.IN_PROGRESS
    # Task 2 fell due on 10/11: done late on the 12th (sent after the cut-off, still counted), else overdue.
    assert status[("W1", "2")] is TaskStatus.DONE_LATE
    assert status[("W2", "2")] is TaskStatus.OVERDUE
    completed = {(u.unit_code, t.ref): u.completed_on for t in sub.tasks for u in t.units}
    assert completed[("W1", "1")] is None


def test_the_current_period_is_judged_as_of_today_and_says_so() -> None:
    scope = Scope("kh", "2026-M11", M11_START, M11_END, as_of=date(2026, 11, 11))
    sub = compile_scope(_inputs(()), scope)
    assert sub.as_of == date(2026, 11, 11) and not sub.period_closed
    status = {(u.unit_code, t.ref): u.status for t in sub.tasks for u in t.units}
    assert status[("W2", "2")] is TaskStatus.OVERDUE  # its deadline, 10/11, has passed today
    opening = sub.narrative[0].paragraphs[0].text
    assert "kỳ báo cáo chưa kết thúc; số liệu tính đến ngày 11/11/2026" in opening


def test_a_kept_report_reproduces_the_same_cut_off_from_its_kept_fields() -> None:
    results = (_result("t1-W1", date(2026, 12, 3), date(2026, 12, 3)),)
    direct = compile_submission(
        _inputs(results), M11_START, M11_END, date(2026, 12, 6), frozenset({"2026-M11"}), M11_END
    )
    kept = compile_scope(_inputs(results), Scope("kh", "2026-M11", M11_START, M11_END, date(2026, 12, 6)))
    assert direct == kept


def test_the_narrative_counts_a_ward_once_when_it_issued_for_one_task_and_not_for_another() -> None:
    inputs = _inputs(())
    inputs = ReportingInputs(
        inputs.plan,
        inputs.tasks,
        inputs.units,
        inputs.assignments,
        cascade_links=(CascadeLink("t1", "W1", "05/KH-UBND"),),
    )
    sub = compile_submission(inputs, M11_START, M11_END, M11_END)
    text = " ".join(p.text for s in sub.narrative for p in s.paragraphs)
    # W1 issued a plan for task 1 and is pending on task 2; W2 is pending on both: two wards in all.
    assert "Có 1/2 UBND cấp xã được giao nhiệm vụ đã ban hành kế hoạch thực hiện (50%): " in text


def test_empty_or_none_answers_are_not_quoted_as_difficulties_or_proposals() -> None:
    answers = ["Không có.", "không có", "Không", "  ", "-", "Không có khó khăn, vướng mắc.", "Thiếu kinh phí"]
    results = tuple(
        _result(a, date(2026, 11, 1), date(2026, 11, 1), difficulties=text, proposals=text)
        for a, text in zip(["t1-W1", "t1-W2", "t2-W1", "t2-W2"], answers[:4], strict=True)
    )
    sub = compile_submission(_inputs(results), M11_START, M11_END, M11_END)
    assert sub.difficulties == () and sub.proposals == ()
    results = tuple(
        _result(a, date(2026, 11, 1), date(2026, 11, 1), difficulties=text, proposals=text)
        for a, text in zip(["t1-W1", "t1-W2", "t2-W1"], answers[4:], strict=True)
    )
    sub = compile_submission(_inputs(results), M11_START, M11_END, M11_END)
    assert [q.text for q in sub.difficulties] == ["Thiếu kinh phí"]
    assert [q.text for q in sub.proposals] == ["Thiếu kinh phí"]

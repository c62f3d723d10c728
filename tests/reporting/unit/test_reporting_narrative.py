"""The report body a compiler reads and signs: counts, the few names that matter, no empty answers quoted."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.reporting.domain import (
    Assignment,
    CascadeLink,
    ExpectedReport,
    Plan,
    ReportingInputs,
    Result,
    Task,
    Unit,
    compile_submission,
)
from services.reporting.domain.quotes import says_nothing

AS_OF = date(2026, 6, 20)
WARDS = tuple(Unit(f"w{i:03d}", f"UBND phường Số {i:03d}", "phuong") for i in range(40))
DEPT = Unit("STP", "Sở Tư pháp", "department")


def _result(assignment: str, difficulties: str, done: date | None = date(2026, 5, 1)) -> Result:
    at = datetime(2026, 6, 1, 2, tzinfo=UTC)
    return Result(assignment, 1, "hoan_thanh", done, "Văn bản số 1/UBND", "", difficulties, "", at, True)


def _inputs() -> ReportingInputs:
    plan = Plan("p", "15/KH-UBND", "Kế hoạch", "UBND thành phố Hải Phòng", date(2026, 4, 1))
    tasks = (
        Task("t1", "p", "PL.1", "Rà soát", date(2026, 5, 31)),
        Task("t2", "p", "PL.2", "Tuyên truyền", None),
    )
    assignments = [Assignment(f"a1-{u.code}", "t1", u.code, "chu_tri") for u in WARDS]
    assignments += [Assignment(f"a2-{u.code}", "t2", u.code, "chu_tri") for u in (DEPT, *WARDS)]
    results = [_result(f"a2-{u.code}", "Kinh phí còn hạn chế.") for u in WARDS[:30]]
    results += [
        _result(f"a2-{u.code}", text)
        for u, text in zip(WARDS[30:], ("Không có.", "Không", "Không có khó khăn, vướng mắc"), strict=False)
    ]
    results += [_result("a1-w000", "Thiếu cán bộ chuyên trách."), _result("a2-STP", "kinh phí còn hạn chế")]
    expected = tuple(ExpectedReport(u.code, "2026-S1", date(2026, 6, 17)) for u in (DEPT, *WARDS))
    links = (CascadeLink("t1", "w001", "21/KH-UBND"), CascadeLink("t2", "w001", "21/KH-UBND"))
    return ReportingInputs(
        plan, tasks, (DEPT, *WARDS), tuple(assignments), tuple(results), expected, (), links
    )


def _body() -> str:
    sub = compile_submission(_inputs(), date(2025, 12, 15), date(2026, 6, 14), AS_OF, frozenset({"2026-S1"}))
    return "\n".join(p.text for s in sub.narrative for p in s.paragraphs)


def test_an_empty_answer_written_as_words_is_not_a_difficulty() -> None:
    for text in ("Không có.", "Không", "không có khó khăn, vướng mắc", "Chưa có kiến nghị", "—", ""):
        assert says_nothing(text), text
    for text in ("Không có kinh phí tổ chức hội nghị.", "Kinh phí còn hạn chế."):
        assert not says_nothing(text), text
    sub = compile_submission(_inputs(), date(2025, 12, 15), date(2026, 6, 14), AS_OF)
    assert not any(says_nothing(q.text) for q in sub.difficulties)
    assert len(sub.difficulties) == 32  # 30 wards + the department, then one ward's other words
    assert "Không có.”" not in _body() and "“Không”" not in _body()


def test_the_same_difficulty_from_many_units_is_quoted_once_with_how_many_said_it() -> None:
    body = _body()
    assert body.count("Kinh phí còn hạn chế.") == 1
    assert (
        "“Kinh phí còn hạn chế.” (31 đơn vị nêu: Sở Tư pháp, UBND phường Số 000, "
        "UBND phường Số 001 và 28 đơn vị khác)" in body
    )
    assert "- UBND phường Số 000 (Nhiệm vụ PL.1): “Thiếu cán bộ chuyên trách.”" in body


def test_overdue_leads_are_named_by_task_and_long_lists_go_by_count() -> None:
    body = _body()
    # PL.1 was due 31/05: 39 of its 40 lead wards have no result by 20/06.
    assert (
        "- Nhiệm vụ PL.1 (hạn 31/05/2026): 39 đơn vị chủ trì quá hạn chưa hoàn thành: UBND phường Số 001,"
        in body
    )
    assert "và 29 đơn vị khác." in body
    assert "Nhiệm vụ PL.2" not in body.split("Có 1 nhiệm vụ có đơn vị chủ trì")[1].split("[")[0]


def test_wards_that_issued_their_own_plan_are_named_and_the_others_counted() -> None:
    body = _body()
    assert (
        "Có 1/40 UBND cấp xã được giao nhiệm vụ đã ban hành kế hoạch thực hiện (2,5%): "
        "UBND phường Số 001 (Kế hoạch số 21/KH-UBND)" in body
    )
    assert "UBND phường Số 002" not in body.split("2. Kết quả")[0]


def test_units_that_owe_a_report_are_counted_and_only_the_first_few_named() -> None:
    body = _body()
    assert "Có 41 đơn vị chưa gửi báo cáo: Sở Tư pháp, UBND phường Số 000," in body
    assert "và 31 đơn vị khác (danh sách tại Phụ lục II)." in body

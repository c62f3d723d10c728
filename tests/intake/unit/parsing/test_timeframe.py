"""Vietnamese administrative time expressions become kinds and dates, never dates the text lacks."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.parsing.timeframe import interpret

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
years = st.integers(min_value=2000, max_value=2099)
months = st.integers(min_value=1, max_value=12)
quarters = st.integers(min_value=1, max_value=4)
spaces = st.sampled_from(["", " "])


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


@pytest.mark.parametrize(
    ("text", "kind", "start", "due", "recurrence"),
    [
        ("Từ quý II năm 2025 đến hết ngày 28/ 02/2027.", "deadline", date(2025, 4, 1), date(2027, 2, 28), []),
        ("Từ quý III năm 2025 đến hết năm 2026", "deadline", date(2025, 7, 1), date(2026, 12, 31), []),
        ("Trong năm 2025 (sau khi Nghị định được ban hành)", "deadline", None, date(2025, 12, 31), []),
        ("trước ngày 15/12/2026", "deadline", None, date(2026, 12, 15), []),
        ("Thường xuyên", "ongoing", None, None, []),
        ("6 tháng, hằng năm", "recurring", None, None, ["semiannual", "annual"]),
        ("Hằng quý", "recurring", None, None, ["quarterly"]),
        ("Khi có yêu cầu của Bộ Tư pháp", "on_request", None, None, []),
        ("Theo chỉ đạo của UBND thành phố", "on_direction", None, None, []),
        ("Sau khi có hướng dẫn của Trung ương", "on_direction", None, None, []),
    ],
)
def test_a_written_timeframe_is_understood(
    text: str, kind: str, start: date | None, due: date | None, recurrence: list[str]
) -> None:
    tf = interpret(text)
    assert (tf.kind, tf.start, tf.due, tf.recurrence) == (kind, start, due, recurrence)


def test_a_reference_to_another_document_is_not_a_deadline() -> None:
    tf = interpret("6 tháng, hằng năm theo Quyết định số 1785/QĐ-TTg ngày 19/8/2025 hoặc theo yêu cầu")
    assert tf.kind == "recurring" and tf.due is None


@given(years, months, spaces, st.sampled_from(["/", " năm ", "-"]), st.sampled_from(["Tháng", "tháng"]))
def test_a_month_is_due_on_its_last_day(y: int, m: int, sp: str, sep: str, word: str) -> None:
    tf = interpret(f"{word} {m}{sp}{sep.strip() if sep != ' năm ' else sep}{sp}{y}")
    assert tf.kind == "deadline" and tf.due == _last_day(y, m) and tf.start is None


@given(years, quarters, st.booleans(), st.sampled_from(["/", " năm "]))
def test_a_quarter_is_due_on_its_last_day(y: int, q: int, roman: bool, sep: str) -> None:
    tf = interpret(f"Quý {ROMAN[q] if roman else q}{sep}{y}")
    assert tf.due == _last_day(y, 3 * q)


@given(years, quarters, years, months, st.integers(min_value=1, max_value=28), spaces)
def test_a_range_starts_with_its_quarter_and_ends_on_its_date(
    y1: int, q: int, y2: int, m: int, d: int, sp: str
) -> None:
    tf = interpret(f"Từ quý {ROMAN[q]}/{y1} đến hết ngày {d}/{sp}{m:02d}/{y2}")
    assert tf.due == date(y2, m, d)
    if date(y1, 3 * q - 2, 1) <= tf.due:
        assert tf.start == date(y1, 3 * q - 2, 1)
    if tf.start is not None:
        assert tf.start <= tf.due


@given(years)
def test_a_year_is_due_on_new_years_eve(y: int) -> None:
    assert interpret(f"Năm {y}").due == date(y, 12, 31)


@given(st.text(alphabet="0123456789/ -.,tháng năm quý ngày Từ đến hết IV", max_size=40))
def test_no_date_appears_that_the_text_does_not_contain(text: str) -> None:
    tf = interpret(text)
    numbers = set(re.findall(r"\d+", text))
    for day in (tf.start, tf.due):
        if day is not None:
            assert str(day.year) in numbers
    if tf.start is not None and tf.due is not None:
        assert tf.start <= tf.due

"""The words every service shares: task status, roles, reporting frequencies and period ids, task refs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.kernel.periods import (
    PERIODS_PER_YEAR,
    RECURRENCE_LABELS,
    RECURRENCES,
    PeriodName,
    Recurrence,
    format_period_id,
    is_period_id,
    parse_period_id,
    period_label,
)
from dondoc.kernel.refs import repeated_refs, unique_refs
from dondoc.kernel.roles import ROLE_LABELS, ROLES, as_role
from dondoc.kernel.status import REPORTED_STATUSES, TaskStatus, status_label
from shared.events import TaskStatusChanged


def test_every_status_has_its_wire_code_and_label() -> None:
    assert {s.code: s.label for s in TaskStatus} == {
        "chua_den_han": "Chưa đến hạn",
        "dang_thuc_hien_trong_han": "Đang thực hiện trong hạn",
        "hoan_thanh_dung_han": "Hoàn thành đúng hạn",
        "hoan_thanh_qua_han": "Hoàn thành quá hạn",
        "qua_han_chua_hoan_thanh": "Quá hạn chưa hoàn thành",
    }
    assert [s for s in TaskStatus if s.is_done] == [TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE]
    assert TaskStatus.NOT_YET_DUE not in REPORTED_STATUSES and len(REPORTED_STATUSES) == 4


def test_a_status_code_reads_back_and_an_unknown_one_is_refused_or_shown_as_is() -> None:
    assert TaskStatus.from_code("hoan_thanh_qua_han") is TaskStatus.DONE_LATE
    held: list[str] = ["hoan_thanh_qua_han"]  # consumers holding the code still find the status equal
    assert TaskStatus.DONE_LATE in held
    with pytest.raises(ValueError):
        TaskStatus.from_code("xong")
    assert status_label("qua_han_chua_hoan_thanh") == "Quá hạn chưa hoàn thành"
    assert status_label("xong") == "xong"


def test_the_contract_carries_the_same_json_for_a_status() -> None:
    code = "hoan_thanh_dung_han"
    event = TaskStatusChanged(assignment_id="A", unit="11407", status=code, as_of="2026-06-01")
    assert event.status is TaskStatus.DONE_ON_TIME
    assert event.model_dump(mode="json")["status"] == code


def test_roles_and_their_words() -> None:
    assert ROLES == ("chu_tri", "phoi_hop")
    assert ROLE_LABELS == {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp"}
    assert as_role("chu_tri") == "chu_tri"
    assert as_role("anything else") == "phoi_hop"


@pytest.mark.parametrize(
    ("period_id", "name", "label"),
    [
        ("2026-M05", PeriodName("monthly", 2026, 5), "tháng 5 năm 2026"),
        ("2026-Q2", PeriodName("quarterly", 2026, 2), "quý II năm 2026"),
        ("2026-S1", PeriodName("semiannual", 2026, 1), "6 tháng đầu năm 2026"),
        ("2026-S2", PeriodName("semiannual", 2026, 2), "6 tháng cuối năm 2026"),
        ("2026-9M", PeriodName("ninemonth", 2026), "9 tháng năm 2026"),
        ("2026-Y", PeriodName("annual", 2026), "năm 2026"),
    ],
)
def test_a_period_id_reads_writes_and_names_itself(period_id: str, name: PeriodName, label: str) -> None:
    assert parse_period_id(period_id) == name
    assert parse_period_id(f" {period_id} ") == name
    assert name.id == period_id
    assert is_period_id(period_id)
    assert period_label(period_id) == label


@pytest.mark.parametrize("text", ["2026-M00", "2026-M13", "2026-Q5", "2026-S3", "26-Q1", "Quý IV/2026", ""])
def test_anything_else_is_not_a_period_id(text: str) -> None:
    assert not is_period_id(text)
    with pytest.raises(ValueError):
        parse_period_id(text)
    assert period_label(text) == text


@given(st.sampled_from(RECURRENCES), st.integers(2000, 2100), st.data())
def test_every_period_id_reads_back_as_itself(kind: Recurrence, year: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(1, PERIODS_PER_YEAR[kind]))
    period_id = format_period_id(kind, year, index)
    assert parse_period_id(period_id).id == period_id


def test_a_period_numbered_past_its_year_is_refused() -> None:
    with pytest.raises(ValueError):
        PeriodName("quarterly", 2026, 5)


def test_every_frequency_has_a_vietnamese_label() -> None:
    assert set(RECURRENCE_LABELS) == set(RECURRENCES) == set(PERIODS_PER_YEAR)


def test_repeated_and_blank_refs_are_numbered_apart() -> None:
    assert unique_refs(["II.1", " II.1 ", "", "II.2", "II.1"]) == ["II.1", "II.1#2", "#3", "II.2", "II.1#3"]


def test_a_repeated_ref_names_the_task_that_had_it_first() -> None:
    found = repeated_refs(["1", "2", " 1", "2", "3"])
    assert [(r.index, r.ref, r.first) for r in found] == [(2, "1", 0), (3, "2", 1)]
    assert repeated_refs(["1", "2"]) == []

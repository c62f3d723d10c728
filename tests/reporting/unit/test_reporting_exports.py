"""The XLSX workbook (opened with openpyxl) and the JSON export, against recounted figures."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from openpyxl import Workbook, load_workbook

from services.reporting.documents.json_export import render_json, submission_to_json
from services.reporting.documents.json_models import SubmissionDocument
from services.reporting.documents.xlsx import render_xlsx
from services.reporting.domain import ReportingInputs, Submission, compile_submission
from tests.support.reporting.ledger_scenario import AS_OF, PERIOD_END, PERIOD_START, scenario
from tests.support.reporting.recount import ON_TIME, assignment_statuses, report_counts, visible_result


@pytest.fixture(scope="module")
def inputs() -> ReportingInputs:
    return scenario()


@pytest.fixture(scope="module")
def submission(inputs: ReportingInputs) -> Submission:
    return compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF)


@pytest.fixture(scope="module")
def workbook(submission: Submission) -> Workbook:
    return load_workbook(io.BytesIO(render_xlsx(submission)))


def test_workbook_has_one_sheet_per_table_each_with_frozen_header_and_filter(workbook: Workbook) -> None:
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Theo nhiệm vụ",
        "Theo đơn vị",
        "Tỷ lệ theo loại đơn vị",
        "Tiến độ báo cáo",
        "Liên thông kế hoạch",
        "Khó khăn, kiến nghị",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.b


def test_task_sheet_holds_numbers_as_numbers_and_due_dates_as_dates(
    workbook: Workbook, inputs: ReportingInputs
) -> None:
    sheet = workbook["Theo nhiệm vụ"]
    statuses = assignment_statuses(inputs, AS_OF)
    for row, task in enumerate(inputs.tasks, start=2):
        mine = [a for a in inputs.assignments if a.task_id == task.id]
        assert sheet.cell(row, 2).value == task.ref
        assert sheet.cell(row, 6).value == len(mine)
        assert sheet.cell(row, 7).value == sum(1 for a in mine if statuses[a.id] == ON_TIME)
        due = sheet.cell(row, 4)
        if task.due is None:
            assert due.value is None
        else:
            assert isinstance(due.value, datetime) and due.value.date() == task.due
            assert due.number_format == "DD/MM/YYYY"


def test_unit_sheet_has_a_line_per_assignment(workbook: Workbook, inputs: ReportingInputs) -> None:
    sheet = workbook["Theo đơn vị"]
    assert sheet.max_row - 1 == len(inputs.assignments)
    reported = sum(1 for a in inputs.assignments if visible_result(inputs, a.id, AS_OF) is not None)
    assert (
        sum(1 for (v,) in sheet.iter_rows(min_row=2, min_col=10, max_col=10, values_only=True) if v == "Có")
        == reported
    )


def test_progress_sheet_stores_shares_as_percent_formatted_fractions(
    workbook: Workbook, inputs: ReportingInputs
) -> None:
    sheet = workbook["Tiến độ báo cáo"]
    names = {u.name: u.code for u in inputs.units}
    for row in range(2, sheet.max_row + 1):
        e, r, t = report_counts(inputs, {names[str(sheet.cell(row, 2).value)]}, PERIOD_START, PERIOD_END)
        assert [sheet.cell(row, c).value for c in (4, 5, 6)] == [e, r, t]
        assert sheet.cell(row, 7).value == pytest.approx(r / e)
        assert sheet.cell(row, 7).number_format == "0.0%"
    widths = [sheet.column_dimensions[letter].width for letter in "AB"]
    assert widths[1] > widths[0]  # unit names get room, the STT column stays narrow


def test_json_export_is_stable_valid_against_its_schema_and_carries_the_figures(
    submission: Submission, inputs: ReportingInputs
) -> None:
    exported: dict[str, Any] = submission_to_json(submission)
    assert json.loads(json.dumps(exported, ensure_ascii=False)) == exported
    jsonschema.validate(exported, SubmissionDocument.model_json_schema(mode="serialization"))
    assert exported == submission_to_json(compile_submission(inputs, PERIOD_START, PERIOD_END, AS_OF))
    e, r, _ = report_counts(inputs, {u.code for u in inputs.units}, PERIOD_START, PERIOD_END)
    city = exported["reporting"]["city"]["completeness"]
    assert (city["numerator"], city["denominator"]) == (r, e)
    assert city["percent"] == round(100 * r / e, 1)
    assert exported["tasks"][0]["status"] in {
        "hoan_thanh_dung_han",
        "hoan_thanh_qua_han",
        "dang_thuc_hien_trong_han",
        "qua_han_chua_hoan_thanh",
    }
    assert exported["period_start"] == PERIOD_START.isoformat()


@pytest.mark.parametrize("emptied", [(), ("difficulties", "proposals"), ("tasks", "units", "difficulties")])
def test_the_downloaded_json_is_the_export_as_python_would_indent_it_byte_for_byte(
    submission: Submission, emptied: tuple[str, ...]
) -> None:
    # pydantic's serializer writes the file an item at a time (render_json); the text must stay what
    # json.dumps gave: UTF-8 letters unescaped, two spaces, the model's key order, dates as ISO 8601, and
    # a list with nothing in it as [].
    emptied_lists: dict[str, Any] = dict.fromkeys(emptied, ())
    sub = replace(submission, **emptied_lists)
    streamed = ("tasks", "units", "difficulties", "proposals")
    assert all(bool(getattr(sub, name)) == (name not in emptied) for name in streamed)
    downloaded = render_json(sub)
    expected = json.dumps(submission_to_json(sub), ensure_ascii=False, indent=2).encode()
    assert downloaded == expected
    assert "Phường".encode() in downloaded or "Xã".encode() in downloaded

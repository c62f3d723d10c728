"""A task's figures keep the lead's status apart from the coordinating units' contributions, everywhere."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import openpyxl
from docx import Document

from services.reporting.documents.docx import render_docx
from services.reporting.documents.json_export import submission_to_json
from services.reporting.documents.meta import DocumentMeta
from services.reporting.documents.xlsx import render_xlsx
from services.reporting.domain import (
    Assignment,
    Plan,
    ReportingInputs,
    Result,
    Task,
    TaskStatus,
    Unit,
    compile_submission,
)

ICT = timezone(timedelta(hours=7))
DUE, AS_OF = date(2026, 5, 31), date(2026, 6, 20)
WARDS = [Unit(f"W{n:03d}", f"Phường Thử {n:03d}", "phuong") for n in range(124)]
LEAD = Unit("STP", "Sở Tư pháp", "department")
STANDING = "Chủ trì: hoàn thành quá hạn; phối hợp: 7/124 đơn vị đã báo cáo"


def _inputs() -> ReportingInputs:
    task = Task("t1", "kh", "III.2", "Rà soát văn bản", DUE)
    assignments = [Assignment("a-lead", "t1", LEAD.code, "chu_tri")]
    assignments += [Assignment(f"a-{u.code}", "t1", u.code, "phoi_hop") for u in WARDS]
    at = datetime(2026, 6, 10, 9, tzinfo=ICT)
    results = [Result("a-lead", 1, "hoan_thanh", date(2026, 6, 5), "Báo cáo số 1/STP", "", "", "", at, True)]
    results += [
        Result(f"a-{u.code}", 1, "dang_thuc_hien", None, "", "Đã phối hợp", "", "", at, True)
        for u in WARDS[:7]
    ]
    plan = Plan("kh", "15/KH-UBND", "Kế hoạch thử", "UBND thành phố Hải Phòng", date(2026, 1, 5))
    return ReportingInputs(plan, (task,), (LEAD, *WARDS), tuple(assignments), tuple(results))


def test_the_task_is_done_late_by_its_lead_and_seven_of_124_coordinating_units_contributed() -> None:
    sub = compile_submission(_inputs(), date(2025, 12, 15), date(2026, 6, 14), AS_OF)
    (task,) = sub.tasks
    assert task.status is TaskStatus.DONE_LATE
    assert (task.coordinating, task.contributed) == (124, 7)
    assert task.standing == STANDING
    tasks = submission_to_json(sub)["tasks"]
    assert isinstance(tasks, list) and len(tasks) == 1 and isinstance(tasks[0], dict)
    out = tasks[0]
    assert (out["status"], out["coordinating"], out["coordinating_reported"]) == (
        "hoan_thanh_qua_han",
        124,
        7,
    )
    assert out["standing"] == STANDING
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(sub)))["Theo nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Tình trạng (theo đơn vị chủ trì)")] == "Hoàn thành quá hạn"
    assert row[header.index("Đơn vị phối hợp đã báo cáo")] == "7/124"
    document = Document(io.BytesIO(render_docx(sub, DocumentMeta())))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT" and len(t.columns) > 12)
    header = [c.text for c in table.rows[0].cells]
    cells = [c.text for c in table.rows[1].cells]
    assert cells[header.index("Tình trạng (theo đơn vị chủ trì)")] == "Hoàn thành quá hạn"
    assert cells[header.index("Đơn vị phối hợp đã báo cáo")] == "7/124"

"""The DOCX appendices' tables: counts, and names only where they matter; the XLSX keeps every list."""

from __future__ import annotations

from services.reporting.documents.tables import (
    CellValue,
    Column,
    Table,
    progress_table,
    tasks_table,
)
from services.reporting.domain.narrative import named
from services.reporting.domain.submission import Submission, TaskSummary
from services.reporting.domain.vi import format_int, vi_sort_key

OUTPUTS = "Kết quả, sản phẩm"
OUTPUTS_QUOTED_AT_MOST = 3  # a task's outputs quoted in full in the document; beyond that, a count


def task_outputs(task: TaskSummary) -> str:
    """The lead units' outputs when they are few; otherwise how many units reported one."""
    leads = {u.unit_code for u in task.units if u.role == "chu_tri"}
    lead_outputs = [q for q in task.outputs if q.unit_code in leads]
    if task.outputs and len(task.outputs) <= OUTPUTS_QUOTED_AT_MOST:
        return "\n".join(f"{q.unit_name}: {q.text}" for q in task.outputs)
    if not task.outputs:
        return ""
    return (
        f"{format_int(len(task.outputs))} đơn vị đã báo cáo kết quả, sản phẩm "
        f"({format_int(len(lead_outputs))} đơn vị chủ trì); chi tiết tại tệp XLSX."
    )


def docx_tasks_table(sub: Submission) -> Table:
    """Phụ lục I as the workbook's task table, with each task's outputs summarised."""
    full = tasks_table(sub)
    at = [c.header for c in full.columns].index(OUTPUTS)
    rows = tuple(
        (*row[:at], task_outputs(task), *row[at + 1 :])
        for row, task in zip(full.rows, sub.tasks, strict=True)
    )
    return Table(full.name, full.title, full.columns, rows)


def owing_table(sub: Submission) -> Table:
    """Phụ lục II.B: only the units that still owe a report or sent one late (every unit is in the XLSX)."""
    full = progress_table(sub)
    owing = [
        row
        for row, unit in zip(full.rows, sub.reporting.by_unit, strict=True)
        if unit.missing_periods or unit.late_periods
    ]
    rows = tuple((i, *row[1:]) for i, row in enumerate(owing, start=1))
    return Table(full.name, full.title, full.columns, rows)


def cascade_counts_table(sub: Submission) -> Table:
    """Phụ lục III.A: per city task, how many wards concerned issued their own plan."""
    columns = (
        Column("STT", "index", 1),
        Column("Nhiệm vụ", weight=1.5),
        Column("Nội dung nhiệm vụ", weight=8),
        Column("Số UBND cấp xã liên quan", "int", 2),
        Column("Đã ban hành kế hoạch", "int", 2),
        Column("Chưa ban hành", "int", 2),
        Column("Tỷ lệ", "rate", 1.6),
    )
    rows: tuple[tuple[CellValue, ...], ...] = tuple(
        (
            i,
            row.task_ref,
            row.task_title,
            row.coverage.denominator,
            len(row.issued),
            len(row.pending),
            row.coverage,
        )
        for i, row in enumerate(sub.cascade, start=1)
    )
    return Table("Liên thông kế hoạch", "TÌNH HÌNH BAN HÀNH KẾ HOẠCH THEO NHIỆM VỤ", columns, rows)


def ward_plans_table(sub: Submission) -> Table:
    """Phụ lục III.B: each ward plan once, with the city tasks it carries out."""
    refs_of: dict[tuple[str, str], list[str]] = {}
    names: dict[str, str] = {}
    for row in sub.cascade:
        for plan in row.issued:
            refs_of.setdefault((plan.unit_code, plan.plan_number), []).append(row.task_ref)
            names[plan.unit_code] = plan.unit_name
    every = len(sub.cascade)
    rows: list[tuple[CellValue, ...]] = []
    in_order = sorted(refs_of.items(), key=lambda item: (vi_sort_key(names[item[0][0]]), item[0]))
    for i, ((code, number), refs) in enumerate(in_order, start=1):
        covered = (
            f"Toàn bộ {format_int(every)} nhiệm vụ" if len(refs) == every > 1 else named(refs, 12, "nhiệm vụ")
        )
        rows.append((i, names[code], number, covered))
    columns = (
        Column("STT", "index", 1),
        Column("UBND cấp xã", weight=6),
        Column("Kế hoạch số", weight=3),
        Column("Thực hiện nhiệm vụ", weight=8),
    )
    return Table("Kế hoạch cấp xã", "CÁC KẾ HOẠCH ĐÃ BAN HÀNH", columns, tuple(rows))

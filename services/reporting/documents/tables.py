"""The result tables, defined once: the DOCX appendices and the XLSX sheets both render these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from dondoc.kernel.roles import ROLE_LABELS
from dondoc.kernel.status import REPORTED_STATUSES
from services.reporting.domain.rates import Rate
from services.reporting.domain.submission import Submission
from services.reporting.domain.units import KIND_LABELS
from services.reporting.domain.vi import format_date

CellValue = str | int | date | Rate | None
ColumnKind = Literal["index", "text", "int", "date", "rate"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, what its cells hold, and its width in a document (cm, scaled to fit)."""

    header: str
    kind: ColumnKind = "text"
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `name` is the sheet name (at most 31 characters, as Excel requires)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]


def summary_table(sub: Submission) -> Table:
    """Key figures: tasks and assignments by status, reports received."""
    plan = sub.plan
    rows: list[tuple[CellValue, ...]] = [
        ("Kế hoạch", plan.number or "…", None),
        ("Trích yếu", plan.title, None),
        ("Kỳ báo cáo", f"{format_date(sub.period_start)} – {format_date(sub.period_end)}", None),
        ("Số liệu tính đến ngày", sub.as_of, None),
        ("Tổng số nhiệm vụ", sub.task_counts.total, None),
    ]
    rows += [
        (f"Nhiệm vụ {s.label.lower()}", sub.task_counts.count(s), sub.task_counts.share(s))
        for s in REPORTED_STATUSES
    ]
    counts = sub.assignment_counts
    rows.append(("Tổng số lượt đơn vị được giao", counts.total, None))
    rows += [(f"Lượt đơn vị {s.label.lower()}", counts.count(s), counts.share(s)) for s in REPORTED_STATUSES]
    not_reported = sum(len(t.not_reported) for t in sub.tasks)
    rows.append(("Lượt đơn vị chưa báo cáo kết quả", not_reported, Rate(not_reported, counts.total)))
    city = sub.reporting.city
    rows += [
        ("Số báo cáo phải gửi", city.expected, None),
        ("Số báo cáo đã nhận", city.received, city.completeness),
        ("Số báo cáo gửi đúng hạn", city.on_time, city.timeliness),
    ]
    columns = (Column("Chỉ tiêu", weight=3), Column("Số lượng", "int"), Column("Tỷ lệ", "rate"))
    return Table("Tổng hợp", "TỔNG HỢP SỐ LIỆU", columns, tuple(rows))


def tasks_table(sub: Submission) -> Table:
    """Phụ lục I: each task, its units by status and the outputs they reported."""
    columns = (
        Column("STT", "index", 1),
        Column("Nhiệm vụ", weight=1.5),
        Column("Nội dung nhiệm vụ", weight=5.5),
        Column("Thời hạn", "date", 2.2),
        Column("Tình trạng (theo đơn vị chủ trì)", weight=2.4),
        Column("Số đơn vị được giao", "int", 1.6),
        *(Column(s.label, "int", 1.7) for s in REPORTED_STATUSES),
        Column("Chưa báo cáo", "int", 1.6),
        Column("Kết quả, sản phẩm", weight=4.6),
        Column("Đơn vị phối hợp đã báo cáo", weight=1.8),
    )
    rows = tuple(
        (
            i,
            t.ref,
            t.title,
            t.due,
            t.status.label,
            len(t.units),
            *(t.counts.count(s) for s in REPORTED_STATUSES),
            len(t.not_reported),
            "\n".join(f"{q.unit_name}: {q.text}" for q in t.outputs),
            f"{t.contributed}/{t.coordinating}" if t.coordinating else "",
        )
        for i, t in enumerate(sub.tasks, start=1)
    )
    return Table("Theo nhiệm vụ", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ", columns, rows)


def units_table(sub: Submission) -> Table:
    """Every unit's result line for every task it was given."""
    columns = (
        Column("STT", "index"),
        Column("Đơn vị"),
        Column("Loại đơn vị"),
        Column("Nhiệm vụ"),
        Column("Vai trò"),
        Column("Thời hạn", "date"),
        Column("Tình trạng"),
        Column("Ngày hoàn thành", "date"),
        Column("Kết quả, sản phẩm"),
        Column("Đã báo cáo"),
    )
    lines = [(u.unit, line) for u in sub.units for line in u.results]
    rows = tuple(
        (
            i,
            unit.name,
            KIND_LABELS[unit.kind],
            line.task_ref,
            ROLE_LABELS[line.role],
            line.due,
            line.status.label,
            line.completed_on,
            line.output,
            "Có" if line.reported else "Chưa",
        )
        for i, (unit, line) in enumerate(lines, start=1)
    )
    return Table("Theo đơn vị", "KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ", columns, rows)


_RATE_COLUMNS = (
    Column("Số báo cáo phải gửi", "int", 2),
    Column("Đã nhận", "int", 2),
    Column("Đúng hạn", "int", 2),
    Column("Tỷ lệ đầy đủ", "rate", 2),
    Column("Tỷ lệ đúng hạn", "rate", 2),
)


def rates_by_kind_table(sub: Submission) -> Table:
    """Completeness and timeliness for the city and each unit type."""
    rows = [
        (row.label, row.expected, row.received, row.on_time, row.completeness, row.timeliness)
        for _, row in sub.reporting.by_kind
    ]
    city = sub.reporting.city
    rows.append((city.label, city.expected, city.received, city.on_time, city.completeness, city.timeliness))
    columns = (Column("Loại đơn vị", weight=5), *_RATE_COLUMNS)
    return Table("Tỷ lệ theo loại đơn vị", "TỶ LỆ BÁO CÁO THEO LOẠI ĐƠN VỊ", columns, tuple(rows))


def progress_table(sub: Submission) -> Table:
    """Phụ lục II: report arrival unit by unit, with the periods still owed."""
    columns = (
        Column("STT", "index", 1),
        Column("Đơn vị", weight=5),
        Column("Loại đơn vị", weight=2.6),
        *_RATE_COLUMNS,
        Column("Kỳ chưa gửi", weight=3),
        Column("Kỳ gửi quá hạn", weight=3),
    )
    rows = tuple(
        (
            i,
            row.unit_name,
            KIND_LABELS[row.kind],
            row.rates.expected,
            row.rates.received,
            row.rates.on_time,
            row.rates.completeness,
            row.rates.timeliness,
            ", ".join(row.missing_periods),
            ", ".join(row.late_periods),
        )
        for i, row in enumerate(sub.reporting.by_unit, start=1)
    )
    return Table("Tiến độ báo cáo", "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ", columns, rows)


def cascade_table(sub: Submission) -> Table:
    """Phụ lục III: ward plans issued for each city task."""
    columns = (
        Column("STT", "index", 1),
        Column("Nhiệm vụ", weight=1.5),
        Column("Nội dung nhiệm vụ", weight=6),
        Column("Số UBND cấp xã liên quan", "int", 2),
        Column("Đã ban hành kế hoạch", "int", 2),
        Column("Tỷ lệ", "rate", 1.6),
        Column("Kế hoạch đã ban hành", weight=6),
        Column("Chưa ban hành", weight=5),
    )
    rows = tuple(
        (
            i,
            row.task_ref,
            row.task_title,
            row.coverage.denominator,
            len(row.issued),
            row.coverage,
            "\n".join(f"{p.unit_name}: {p.plan_number}" for p in row.issued),
            ", ".join(row.pending),
        )
        for i, row in enumerate(sub.cascade, start=1)
    )
    return Table(
        "Liên thông kế hoạch", "TÌNH HÌNH BAN HÀNH KẾ HOẠCH THỰC HIỆN CỦA UBND CẤP XÃ", columns, rows
    )


def quotes_table(sub: Submission) -> Table:
    """Difficulties and proposals, as each unit wrote them."""
    columns = (Column("STT", "index"), Column("Đơn vị"), Column("Nguồn"), Column("Loại"), Column("Nội dung"))
    quotes = [("Khó khăn, vướng mắc", q) for q in sub.difficulties]
    quotes += [("Đề xuất, kiến nghị", q) for q in sub.proposals]
    rows = tuple((i, q.unit_name, q.source, kind, q.text) for i, (kind, q) in enumerate(quotes, start=1))
    return Table("Khó khăn, kiến nghị", "KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", columns, rows)


def all_tables(sub: Submission) -> tuple[Table, ...]:
    """Every table, in workbook order."""
    return (
        summary_table(sub),
        tasks_table(sub),
        units_table(sub),
        rates_by_kind_table(sub),
        progress_table(sub),
        cascade_table(sub),
        quotes_table(sub),
    )


def cell_text(value: CellValue) -> str:
    """How a cell reads in a document: 3.300, 85,5%, 31/05/2026."""
    if value is None:
        return ""
    if isinstance(value, Rate):
        return value.text
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return value

"""A Hải Phòng city plan (after plan 004's appendix) with results on time, late and missing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from services.reporting.domain.inputs import (
    Assignment,
    CascadeLink,
    ExpectedReport,
    Plan,
    ReceivedReport,
    ReportingInputs,
    Result,
    Task,
    Unit,
    UnitKind,
)

ICT = timezone(timedelta(hours=7))
AS_OF = date(2026, 6, 20)
PERIOD_START, PERIOD_END = date(2025, 12, 15), date(2026, 6, 14)
DEADLINE = date(2026, 6, 10)
PLAN = Plan(
    "kh-004",
    None,
    "Kế hoạch hành động bổ sung nhiệm vụ thực hiện Nghị quyết số 66-NQ/TW",
    "UBND thành phố Hải Phòng",
    None,
)

DEPARTMENTS = [
    ("STP", "Sở Tư pháp"),
    ("STC", "Sở Tài chính"),
    ("SNV", "Sở Nội vụ"),
    ("SGD", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("SVH", "Sở Văn hóa, Thể thao và Du lịch"),
]
WARDS: list[tuple[str, str, UnitKind]] = [
    ("10507", "Phường Thành Đông", "phuong"),
    ("10525", "Phường Hải Dương", "phuong"),
    ("10532", "Phường Lê Thanh Nghị", "phuong"),
    ("10606", "Xã Nam Sách", "xa"),
    ("10615", "Xã Hợp Tiến", "xa"),
    ("11914", "Đặc khu Cát Hải", "dac_khu"),
    ("11948", "Đặc khu Bạch Long Vĩ", "dac_khu"),
]
COUNCIL = ("HDPB", "Hội đồng phối hợp phổ biến, giáo dục pháp luật")

# ref -> (due, lead codes, coordinating codes); "W" stands for every ward, "D" for every department.
TASK_PLAN: list[tuple[str, date | None, list[str], list[str]]] = [
    ("PL.1", None, ["HDPB"], ["D", "W"]),
    ("PL.2", date(2026, 12, 31), ["STC", "SGD", "SYT", "SVH", "W"], ["STP", "SNV"]),
    ("PL.3", None, ["STP"], ["W"]),
    ("PL.4", date(2026, 5, 31), ["STP"], ["SNV", "W"]),
    ("PL.5", date(2026, 11, 30), ["STP"], ["STC"]),
    ("PL.6", None, ["STP"], []),
    ("PL.7", date(2026, 3, 31), ["STC"], ["W"]),
    ("PL.8", date(2026, 4, 30), ["SGD"], []),
    ("PL.9", date(2026, 6, 20), ["SYT"], ["SNV"]),
    ("PL.10", date(2026, 6, 15), ["STC"], []),
    ("PL.11", date(2026, 5, 15), ["SVH"], ["W"]),
    ("PL.12", None, ["STP"], []),
    ("PL.13", date(2026, 6, 30), ["STP"], ["SNV"]),
    ("PL.14", date(2026, 2, 28), ["STP"], []),
    ("PL.15", None, ["STP"], ["STC"]),
    ("PL.16", date(2026, 9, 30), ["STP"], []),
    ("PL.17", None, ["STC"], []),
]
UNAPPROVED_TEXT = "Nội dung chưa được duyệt, không được trích"


def units() -> tuple[Unit, ...]:
    """Six departments, the council and seven commune-level units of each kind."""
    found = [Unit(code, name, "department") for code, name in DEPARTMENTS]
    found.append(Unit(COUNCIL[0], COUNCIL[1], "other"))
    found += [Unit(code, name, kind) for code, name, kind in WARDS]
    return tuple(found)


def _expand(codes: list[str]) -> list[str]:
    out: list[str] = []
    for code in codes:
        out += (
            [c for c, _ in DEPARTMENTS]
            if code == "D"
            else [c for c, _, _ in WARDS]
            if code == "W"
            else [code]
        )
    return out


def tasks_and_assignments() -> tuple[tuple[Task, ...], tuple[Assignment, ...]]:
    """17 tasks; a unit both leading and coordinating a task is assigned once, as lead."""
    tasks, assignments = [], []
    for ref, due, leads, coordinators in TASK_PLAN:
        task = Task(f"t-{ref}", PLAN.id, ref, f"Nhiệm vụ {ref} theo Phụ lục Kế hoạch", due)
        tasks.append(task)
        lead_codes = _expand(leads)
        for code in lead_codes:
            assignments.append(Assignment(f"a-{ref}-{code}", task.id, code, "chu_tri"))
        for code in _expand(coordinators):
            if code not in lead_codes:
                assignments.append(Assignment(f"a-{ref}-{code}", task.id, code, "phoi_hop"))
    return tuple(tasks), tuple(assignments)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ICT)


def _result(a: Assignment, version: int, done: date | None, approved: bool = True, **text: str) -> Result:
    reported = _at(done or date(2026, 6, 1))
    return Result(
        a.id,
        version,
        "hoan_thanh" if done else "dang_thuc_hien",
        done,
        text.get("output", f"Văn bản số {version}{a.id[-3:]}/UBND-VP" if done else ""),
        text.get("narrative", "Đã triển khai"),
        text.get("difficulties", ""),
        text.get("proposals", ""),
        reported,
        approved,
    )


def results(tasks: tuple[Task, ...], assignments: tuple[Assignment, ...]) -> tuple[Result, ...]:
    """Seven behaviours in turn: none, on time, late, in progress, superseded twice, unapproved only."""
    due_of = {t.id: t.due for t in tasks}
    out: list[Result] = []
    for i, a in enumerate(assignments):
        due = due_of[a.task_id]
        on_time = min(due, AS_OF - timedelta(days=5)) if due else date(2026, 3, 10)
        behaviour = i % 7
        if behaviour == 0 and i % 2 == 0:  # arrives after the compile day: not seen yet
            out.append(replace_reported(_result(a, 1, on_time), _at(AS_OF + timedelta(days=3))))
        elif behaviour == 1:
            out.append(
                _result(
                    a,
                    1,
                    on_time,
                    difficulties=f"Thiếu kinh phí thực hiện ({a.id})",
                    proposals=f"Đề nghị bổ sung biên chế ({a.id})",
                )
            )
        elif behaviour == 2:
            late = due + timedelta(days=3) if due and due + timedelta(days=3) <= AS_OF else None
            out.append(_result(a, 1, late, output="Công văn số 45/STP-XDKT ngày 03/6/2026"))
        elif behaviour == 3:
            out.append(_result(a, 1, None, narrative="Đang xây dựng dự thảo"))
        elif behaviour == 4:
            out.append(_result(a, 1, on_time))
            out.append(_result(a, 2, AS_OF, approved=False, difficulties=UNAPPROVED_TEXT))
        elif behaviour == 5:
            out.append(_result(a, 1, None, difficulties="Vướng mắc cũ, đã được giải quyết"))
            out.append(
                _result(a, 2, due if due and due <= AS_OF else on_time, proposals=f"Kiến nghị ({a.id})")
            )
        elif behaviour == 6:
            out.append(_result(a, 1, on_time, approved=False, proposals=UNAPPROVED_TEXT))
    return tuple(out)


def replace_reported(result: Result, reported_at: datetime) -> Result:
    """The same result, recorded at another moment."""
    return replace(result, reported_at=reported_at)


def reports() -> tuple[tuple[ExpectedReport, ...], tuple[ReceivedReport, ...]]:
    """Every unit owes the half-year report; arrivals on time, late, missing, and across midnight."""
    expected, received = [], []
    for i, unit in enumerate(units()):
        expected.append(ExpectedReport(unit.code, "2026-H1", DEADLINE))
        expected.append(ExpectedReport(unit.code, "2025-N", date(2025, 12, 10)))  # earlier period
        pattern = i % 5
        if pattern == 0:
            received.append(
                ReceivedReport(
                    unit.code,
                    "2026-H1",
                    _at(DEADLINE, 16),
                    True,
                    difficulties=f"Khó khăn kỳ báo cáo của {unit.name}",
                )
            )
        elif pattern == 1:
            received.append(
                ReceivedReport(
                    unit.code,
                    "2026-H1",
                    _at(DEADLINE + timedelta(days=2)),
                    True,
                    proposals=f"Kiến nghị kỳ báo cáo của {unit.name}",
                )
            )
            resent = f"Kiến nghị kỳ báo cáo của {unit.name} (bản gửi lại)"
            received.append(
                ReceivedReport(
                    unit.code, "2026-H1", _at(DEADLINE + timedelta(days=4)), True, proposals=resent
                )
            )
        elif pattern == 2:
            # 17:30 UTC on the deadline is 00:30 the next day in Hải Phòng: late.
            received.append(
                ReceivedReport(
                    unit.code,
                    "2026-H1",
                    datetime(2026, 6, 10, 17, 30, tzinfo=UTC),
                    False,
                    difficulties=UNAPPROVED_TEXT,
                )
            )
        elif pattern == 3:
            received.append(
                ReceivedReport(unit.code, "2026-H1", datetime(2026, 6, 10, 16, 30, tzinfo=UTC), True)
            )
    return tuple(expected), tuple(received)


def cascade(assignments: tuple[Assignment, ...]) -> tuple[CascadeLink, ...]:
    """Some wards issued their own plan for PL.2 and PL.3."""
    return (
        CascadeLink("t-PL.2", "10507", "12/KH-UBND"),
        CascadeLink("t-PL.2", "11914", "07/KH-UBND"),
        CascadeLink("t-PL.3", "10606", "21/KH-UBND"),
    )


def scenario() -> ReportingInputs:
    """The whole scenario as the store would hand it over."""
    tasks, assignments = tasks_and_assignments()
    expected, received = reports()
    return ReportingInputs(
        PLAN,
        tasks,
        units(),
        assignments,
        results(tasks, assignments),
        expected,
        received,
        cascade(assignments),
    )

"""Time compile + render at city scale (134 units) and national scale (~3,300 commune-level units).

Run: .venv/bin/python bench/bench_reporting.py
Each line compares against a naive single pass that only counts statuses, measured in the same run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from services.reporting.documents.docx import render_docx
from services.reporting.documents.json_export import submission_to_json
from services.reporting.documents.xlsx import render_xlsx
from services.reporting.documents.xlsx_openpyxl import render_xlsx_openpyxl
from services.reporting.domain import (
    Assignment,
    ExpectedReport,
    Plan,
    ReceivedReport,
    ReportingInputs,
    Result,
    Task,
    Unit,
    compile_submission,
)
from services.reporting.domain.inputs import CascadeLink, Role, UnitKind

ICT = timezone(timedelta(hours=7))
AS_OF, START, END = date(2026, 12, 20), date(2025, 12, 15), date(2026, 12, 14)
PERIOD_DEADLINES = [date(2026, 3, 10), date(2026, 6, 10), date(2026, 9, 10), date(2026, 12, 10)]


def build(units_count: int, tasks_count: int, seed: int = 1) -> ReportingInputs:
    """A synthetic plan: every task assigned to ~6 % of the units as leads plus one department."""
    rng = random.Random(seed)
    kinds: list[UnitKind] = ["phuong", "xa", "xa", "dac_khu", "department"]
    units = tuple(Unit(f"u{i}", f"Đơn vị số {i}", kinds[i % 5]) for i in range(units_count))
    plan = Plan("p", "243/KH-UBND", "Kế hoạch bench", "UBND thành phố Hải Phòng", date(2025, 9, 16))
    tasks = tuple(
        Task(
            f"t{i}",
            "p",
            f"PL.{i + 1}",
            f"Nhiệm vụ số {i + 1}",
            rng.choice([None, date(2026, 6, 30), date(2027, 1, 31)]),
        )
        for i in range(tasks_count)
    )
    assignments, results = [], []
    for task in tasks:
        for unit in units:
            role: Role = "chu_tri" if rng.random() < 0.5 else "phoi_hop"
            a = Assignment(f"{task.id}-{unit.code}", task.id, unit.code, role)
            assignments.append(a)
            for version in range(1, rng.choice([0, 1, 1, 2]) + 1):
                done = date(2026, 1, 1) + timedelta(days=rng.randrange(300)) if rng.random() < 0.6 else None
                at = datetime(2026, 11, version, 9, tzinfo=ICT)
                results.append(
                    Result(
                        a.id,
                        version,
                        "x",
                        done,
                        "Văn bản số 1/UBND",
                        "",
                        "Khó khăn",
                        "",
                        at,
                        rng.random() < 0.9,
                    )
                )
    expected = [ExpectedReport(u.code, f"Q{q}", d) for u in units for q, d in enumerate(PERIOD_DEADLINES, 1)]
    received = [
        ReceivedReport(
            e.unit_code,
            e.period_id,
            datetime.combine(e.deadline, datetime.min.time(), ICT) + timedelta(days=rng.randrange(-3, 4)),
            True,
        )
        for e in expected
        if rng.random() < 0.85
    ]
    links = [
        CascadeLink(t.id, u.code, f"{i}/KH-UBND") for i, (t, u) in enumerate(zip(tasks, units, strict=False))
    ]
    return ReportingInputs(
        plan, tasks, units, tuple(assignments), tuple(results), tuple(expected), tuple(received), tuple(links)
    )


def naive_count(inputs: ReportingInputs) -> dict[str, int]:
    """Baseline: one pass over approved results counting done / not done, no judgement, no documents."""
    counts = {"done": 0, "not_done": 0}
    for r in inputs.results:
        if r.approved:
            counts["done" if r.completed_on else "not_done"] += 1
    return counts


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Wall time of one call, with its result."""
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def run(label: str, units_count: int, tasks_count: int, documents: bool = True) -> None:
    """Print one line of figures for one scale, and the XLSX writers side by side."""
    inputs = build(units_count, tasks_count)
    baseline, _ = timed(lambda: naive_count(inputs))
    started = time.perf_counter()
    submission = compile_submission(inputs, START, END, AS_OF)
    compile_s = time.perf_counter() - started
    docx_s = xlsx_s = streamed_s = reference_s = json_s = 0.0
    if documents:
        docx_s, _ = timed(lambda: render_docx(submission))
        xlsx_s, _ = timed(lambda: render_xlsx(submission))
        streamed_s, _ = timed(lambda: render_xlsx(submission, constant_memory=True))
        reference_s, _ = timed(lambda: render_xlsx_openpyxl(submission))
        json_s, _ = timed(lambda: submission_to_json(submission))
    total = compile_s + docx_s + xlsx_s
    print(
        f"{label}: {units_count} units × {tasks_count} tasks × 4 periods "
        f"({len(inputs.assignments)} assignments, {len(inputs.results)} results): compile {compile_s:.2f}s, "
        f"docx {docx_s:.2f}s, xlsx {xlsx_s:.2f}s (XlsxWriter; side by side: XlsxWriter constant_memory "
        f"{streamed_s:.2f}s, openpyxl write-only {reference_s:.2f}s), json {json_s:.2f}s; "
        f"compile + docx + xlsx {total:.2f}s; baseline naive count {baseline * 1000:.1f}ms, "
        f"total/baseline ×{total / baseline:.0f}"
    )
    if label == "national":
        print(f"goal (national compile + DOCX + XLSX < 20 s): {'met' if total < 20 else 'NOT met'}")


def main() -> None:
    """City scale, then national scale."""
    run("city", 134, 50)
    run("national", 3300, 50)


if __name__ == "__main__":
    main()

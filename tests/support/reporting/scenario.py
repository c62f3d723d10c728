"""The reporting scenario on the real broker: seed 004's city plan, results and semi-annual reports.

The test's own ledger (`Ledger`) records what it published and recomputes every figure the
submission must show, with rules written here again on purpose (not the service's code).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from shared.events import (
    PlanReceived,
    PlanTask,
    ReportingObligation,
    ReportSubmitted,
    ResultSubmitted,
    UnitRef,
)
from tests.support.tasks import plan, refs

ICT = timezone(timedelta(hours=7))
PERIOD = "2026-S1"
AS_OF = date(2026, 6, 20)
RESULT_TASKS = ("PL.2", "PL.4", "PL.6")  # a yearly deadline, May's deadline, an ongoing task
SOTP = "HP.SO-TU-PHAP"
AN_BIEN, DONG_HAI = "11407", "11411"


def obligation() -> ReportingObligation:
    """Every department and commune-level committee reports every six months to Sở Tư pháp."""
    return ReportingObligation(
        reporter=refs(["Các sở, ban, ngành và UBND cấp xã"]),
        recipient=UnitRef(text="Sở Tư pháp", unit=SOTP),
        recurrence=["semiannual"],
        text="Báo cáo kết quả thực hiện về Sở Tư pháp",
    )


def ward_plans(city_plan_id: str) -> list[PlanReceived]:
    """An Biên's plan carries out PL.4 by name; Đông Hải's implements the city plan without naming tasks."""
    an_bien = PlanTask(
        ref="1",
        title="Rà soát văn bản quy phạm pháp luật của phường",
        lead=refs(["Văn phòng HĐND và UBND"], AN_BIEN),
        implements_task_ref="PL.4",
    )
    dong_hai = PlanTask(
        ref="1", title="Quán triệt Nghị quyết", lead=refs(["Văn phòng HĐND và UBND"], DONG_HAI)
    )
    found = []
    for issuer, number, task in ((AN_BIEN, "21/KH-UBND", an_bien), (DONG_HAI, "7/KH-UBND", dong_hai)):
        ward = plan([task], issuer=issuer, implements_plan_id=city_plan_id)
        found.append(ward.model_copy(update={"number": number}))
    return found


@dataclass(frozen=True)
class Given:
    """An assignment as the tasks service announced it."""

    assignment_id: str
    task_ref: str
    unit: str
    role: str
    due: date | None


def expected_status(due: date | None, completed_on: date | None, as_of: date) -> str:
    """The Government Office's four statuses, judged from dates only."""
    if completed_on is not None and completed_on <= as_of:
        return "hoan_thanh_dung_han" if due is None or completed_on <= due else "hoan_thanh_qua_han"
    return "qua_han_chua_hoan_thanh" if due is not None and as_of > due else "dang_thuc_hien_trong_han"


@dataclass
class Ledger:
    """What the test sent, and the figures that follow from it."""

    given: list[Given]
    completed: dict[str, date] = field(default_factory=dict)  # assignment → completion date that counts
    reported: set[str] = field(default_factory=set)  # assignments with a counted result
    deadlines: dict[str, date] = field(default_factory=dict)  # unit → S1 deadline (from report.due)
    sent: dict[str, datetime] = field(default_factory=dict)  # unit → when its S1 report first arrived

    def status(self, a: Given) -> str:
        return expected_status(a.due, self.completed.get(a.assignment_id), AS_OF)

    def task_row(self, ref: str) -> dict[str, int]:
        mine = [a for a in self.given if a.task_ref == ref]
        row = {"assigned": len(mine), "not_reported": sum(a.assignment_id not in self.reported for a in mine)}
        for code in (
            "hoan_thanh_dung_han",
            "hoan_thanh_qua_han",
            "dang_thuc_hien_trong_han",
            "qua_han_chua_hoan_thanh",
        ):
            row[code] = sum(self.status(a) == code for a in mine)
        return row

    def unit_rates(self, unit: str) -> tuple[int, int, int]:
        """expected, received, on time"""
        arrived = self.sent.get(unit)
        on_time = arrived is not None and arrived.astimezone(ICT).date() <= self.deadlines[unit]
        return 1, int(arrived is not None), int(on_time)


def results_for(ledger: Ledger, seed: int = 4) -> list[ResultSubmitted]:
    """Results for part of the units: on time, late (May's task), corrected once; the rest send nothing."""
    rng = random.Random(seed)
    events: list[ResultSubmitted] = []
    for a in sorted(ledger.given, key=lambda g: g.assignment_id):
        if a.task_ref not in RESULT_TASKS:
            continue
        kind = rng.choices(["on_time", "late", "none", "corrected"], [5, 2, 3, 1])[0]
        if kind == "none":
            continue
        if kind == "late" and a.due == date(2026, 5, 31):
            done = date(2026, 6, 5)
        else:
            done = min(a.due, AS_OF) - timedelta(days=10) if a.due else date(2026, 5, 20)
        result_id = str(uuid.uuid4())
        at = datetime(2026, 6, 8, 9, tzinfo=ICT)
        versions = [(1, done)]
        if kind == "corrected":  # the second version moves the completion date: only it counts
            versions = [(1, done - timedelta(days=3)), (2, done)]
        for version, day in versions:
            events.append(
                ResultSubmitted(
                    result_id=result_id,
                    assignment_id=a.assignment_id,
                    unit=a.unit,
                    version=version,
                    status="hoan_thanh",
                    completed_on=day,
                    output=f"Văn bản số {100 + len(events)}/UBND-VP ngày {day:%d/%m/%Y}",
                    narrative="Đã tổ chức triển khai đến toàn thể cán bộ, công chức.",
                    # the rest answer the form's field with words that say nothing: never quoted
                    difficulties="Kinh phí tổ chức hội nghị còn hạn chế."
                    if version == 1 and rng.random() < 0.3
                    else "Không có.",
                    proposals="Đề nghị Sở Tư pháp cung cấp tài liệu tuyên truyền."
                    if rng.random() < 0.2
                    else None,
                    submitted_at=(at + timedelta(hours=version)).astimezone(UTC),
                )
            )
        ledger.completed[a.assignment_id] = done
        ledger.reported.add(a.assignment_id)
    return events


def report(unit: str, submitted_at: datetime, plan_id: str) -> ReportSubmitted:
    """A unit's semi-annual report."""
    return ReportSubmitted(
        report_id=str(uuid.uuid4()),
        unit=unit,
        period_id=PERIOD,
        version=1,
        plan_id=plan_id,
        narrative="Báo cáo kết quả 6 tháng đầu năm 2026.",
        difficulties="Thiếu cán bộ chuyên trách.",
        proposals=None,
        submitted_at=submitted_at.astimezone(UTC),
    )

"""What can never take effect is refused at the door: the checks on plans, results and reports (14.12).

Pure rules, no I/O: each returns the problems found, each naming its field and what is allowed, in
Vietnamese, so a ward system can show them next to the field. The handlers look up what the rules need
(the replica of tasks, intake's own plans) and turn problems into a 404/422 with nothing stored.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.kernel.periods import is_period_id
from dondoc.kernel.refs import repeated_refs
from services.intake.schemas import PlanIn

EARLIEST: Final = date(2000, 1, 1)  # nothing dondoc follows was done before the 2000s
# The reporting periods tasks announces (Decree 09/2019/NĐ-CP): month, quarter, half-year, nine months, year.
PERIOD_FORMS: Final = (
    "NNNN-Mtt (tháng, ví dụ 2026-M05), NNNN-Q1…Q4 (quý), NNNN-S1/S2 (6 tháng), NNNN-9M, NNNN-Y"
)

Problem = dict[str, str]


def vietnam_today() -> date:
    """Today where the wards are (UTC+7): a result completed "today" there is not in the future."""
    return SYSTEM_CLOCK.today()


def problem(field: str, message: str, kind: str) -> Problem:
    return {"field": field, "message": message, "type": kind}


def period_problem(period_id: str) -> str | None:
    """Why a period id is not one tasks could ever owe (None if well formed)."""
    if not is_period_id(period_id):
        return f"Kỳ báo cáo (period_id) không đúng dạng; dùng {PERIOD_FORMS}."
    return None


def completed_on_problem(completed_on: date | None, today: date) -> str | None:
    if completed_on is None:
        return None
    if completed_on < EARLIEST:
        return "Ngày hoàn thành (completed_on) không thể trước năm 2000; hãy kiểm tra lại ngày."
    if completed_on > today:
        return (
            f"Ngày hoàn thành (completed_on) {completed_on:%d/%m/%Y} ở tương lai; chỉ báo hoàn thành "
            f"khi đã xong, với ngày không muộn hơn hôm nay ({today:%d/%m/%Y})."
        )
    return None


def plan_problems(plan: PlanIn) -> list[Problem]:
    """Task refs unique, every start on or before its due date, every date from 2000 on."""
    found: list[Problem] = []
    repeats = {repeat.index: repeat for repeat in repeated_refs(task.ref for task in plan.tasks)}
    for position, task in enumerate(plan.tasks):
        where = f"tasks.{position}"
        if (repeat := repeats.get(position)) is not None:
            found.append(
                problem(
                    f"{where}.ref",
                    f"Số thứ tự nhiệm vụ «{repeat.ref}» bị trùng với nhiệm vụ thứ {repeat.first + 1}; "
                    "mỗi nhiệm vụ cần một số thứ tự riêng (ví dụ II.1, II.2).",
                    "duplicate_ref",
                )
            )
        frame = task.timeframe
        for name, value in (("start", frame.start), ("due", frame.due)):
            if value is not None and value < EARLIEST:
                found.append(
                    problem(
                        f"{where}.timeframe.{name}",
                        f"Ngày {value.isoformat()} không hợp lệ; "
                        "thời hạn của kế hoạch phải từ năm 2000 trở đi.",
                        "date_out_of_range",
                    )
                )
        if frame.start is not None and frame.due is not None and frame.start > frame.due:
            found.append(
                problem(
                    f"{where}.timeframe.start",
                    f"Ngày bắt đầu {frame.start:%d/%m/%Y} sau hạn hoàn thành {frame.due:%d/%m/%Y}; "
                    "hãy sửa để ngày bắt đầu không muộn hơn hạn.",
                    "start_after_due",
                )
            )
    for position, duty in enumerate(plan.reporting):
        if duty.due is not None and duty.due < EARLIEST:
            found.append(
                problem(
                    f"reporting.{position}.due",
                    "Hạn báo cáo phải từ năm 2000 trở đi; hãy kiểm tra lại ngày.",
                    "date_out_of_range",
                )
            )
    return found

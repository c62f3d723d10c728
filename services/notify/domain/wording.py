"""Vietnamese wording shared by all templates: dates, roles, days left, plan citations."""

from __future__ import annotations

from datetime import date

from dondoc.kernel.roles import ROLE_LABELS, Role
from services.notify.domain.notices import PlanRef, Submission

ROLE_WORDS: dict[Role, str] = {role: label.lower() for role, label in ROLE_LABELS.items()}
SUBMISSION_WORDS: dict[Submission, str] = {
    "result": "kết quả thực hiện nhiệm vụ",
    "report": "báo cáo định kỳ",
}


def vn_date(value: date) -> str:
    """Write a date the way Vietnamese notices do: "ngày 28/02/2027"."""
    return f"ngày {value.day:02d}/{value.month:02d}/{value.year}"  # strftime costs ten times as much


def role_words(role: Role) -> str:
    """Say a unit's role in a task: "chủ trì" or "phối hợp"."""
    return ROLE_WORDS[role]


def submission_words(submission: Submission) -> str:
    """Say what was reviewed: "kết quả thực hiện nhiệm vụ" or "báo cáo định kỳ" (lower case)."""
    return SUBMISSION_WORDS[submission]


def submission_phrase(
    submission: Submission, period_label: str | None = None, task_title: str | None = None
) -> str:
    """Name what an officer sent, lower case: "báo cáo kỳ 2026-S1", "kết quả thực hiện nhiệm vụ “Rà soát
    đất công”", or the plain words when the period or task is not known."""
    if submission == "report":
        return f"báo cáo kỳ {period_label}" if period_label else SUBMISSION_WORDS["report"]
    title = " ".join(task_title.split()) if task_title else ""
    return f"{SUBMISSION_WORDS['result']} “{title}”" if title else SUBMISSION_WORDS["result"]


def first_upper(text: str) -> str:
    """Begin a sentence with a capital, leaving the rest as written (Jinja's `capitalize` lowers it)."""
    return text[:1].upper() + text[1:]


def days_left(due: date, as_of: date, working: int | None = None) -> str:
    """Say how far a due date is from today: "còn 5 ngày", "hôm nay là hạn cuối", "đã quá hạn 3 ngày";
    in working days when tasks counted them (`working`): "còn 2 ngày làm việc"."""
    remaining = (due - as_of).days
    if remaining > 0 and working is not None:
        return (
            f"còn {working} ngày làm việc" if working > 0 else "hôm nay là ngày làm việc cuối cùng trước hạn"
        )
    if remaining > 0:
        return f"còn {remaining} ngày"
    if remaining == 0:
        return "hôm nay là hạn cuối"
    return f"đã quá hạn {-remaining} ngày"


def days_late(due: date, as_of: date) -> int:
    """Count whole days since a due date (0 when not yet late)."""
    return max((as_of - due).days, 0)


def plan_citation(plan: PlanRef) -> str:
    """Cite a plan by number and date when it has one, else by its title."""
    if plan.number:
        cited = f"Kế hoạch số {plan.number}"
        return f"{cited} {vn_date(plan.issued_on)}" if plan.issued_on else cited
    title = plan.title.strip()
    # Plan titles usually begin with "Kế hoạch"; add it only when the title does not.
    return title if title.casefold().startswith("kế hoạch") else f"Kế hoạch {title}"


def assigned_late(due: date | None, as_of: date) -> bool:
    """Whether a task was given after its due date had already passed."""
    return due is not None and due < as_of


def deadline_phrase(due: date | None, as_of: date, timeframe_text: str | None = None) -> str:
    """Say a task's deadline with the days left, or its written timeframe when it has no due date.

    A task given after its deadline says so once ("giao khi đã quá hạn ngày …"), instead of the
    unit hearing "new task" and then "overdue 190 days" about the same assignment.
    """
    if due is None:
        return timeframe_text.strip() if timeframe_text else "chưa xác định"
    if assigned_late(due, as_of):
        return f"giao khi đã quá hạn {vn_date(due)}"
    return f"{vn_date(due)} ({days_left(due, as_of)})"

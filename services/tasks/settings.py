"""Tasks' settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from dondoc.platform.settings import ServiceSettings


class TasksSettings(ServiceSettings):
    """How the tasks service keeps time: reminder offsets, tick interval, calendar, reporting defaults."""

    service_name: str = "tasks"
    http_port: int = 8002
    public_base_url: str = "http://127.0.0.1:8002"
    database_url: str = "sqlite:///var/tasks.db"
    # "Sắp đến hạn" reminders before a task's due date, counted in working days by default (weekends,
    # public holidays and make-up working days from the calendar): "còn 2 ngày làm việc". REMINDER_DAYS_KIND
    # =calendar counts calendar days instead, with REMINDER_OFFSETS_DAYS.
    reminder_days_kind: Literal["working", "calendar"] = "working"
    reminder_offsets_working_days: tuple[int, ...] = (5, 2, 1)
    reminder_offsets_days: tuple[int, ...] = (7, 3, 1)
    report_lead_days: tuple[int, ...] = (3, 1)  # working days before a report's send-by deadline
    skip_days_off: bool = True  # reminders never land on a day off
    tick_seconds: float = 60.0
    ticker_enabled: bool = True
    calendar_path: Path | None = None  # JSON or TOML working-day calendar; default: the shipped one
    # Ongoing tasks ("Thường xuyên") are judged per period of this kind when the plan names none.
    ongoing_period_kind: str = "semiannual"
    # The city's reporting calendar for a plan that states no frequency: an obligation without one
    # ("báo cáo theo quy định tại …", a clause citing another document), or a plan with no reporting
    # clause at all, owes these periods (Decree 09 windows; send-by rules as set for the obligation).
    default_report_recurrence: tuple[str, ...] = ("semiannual", "annual")
    # REVIEW_REQUIRED, read by reporting too: a result counts only once accepted (dondoc.kernel.versions).
    review_required: bool = False
    similarity_threshold: float = 0.55  # below it a ward task is not linked to any city task

"""The working-day calendar comes from the operator's file when set, the shipped one otherwise."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from services.tasks.context import load_calendar
from services.tasks.domain.calendar import default_calendar
from services.tasks.settings import TasksSettings


def test_without_a_file_the_shipped_vietnamese_calendar_is_used() -> None:
    assert load_calendar(TasksSettings()) == default_calendar()


def test_an_operators_json_calendar_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "calendar.json"
    data = {"years": [2027], "holidays": ["2027-02-08"], "makeup_workdays": ["2027-02-13"]}
    path.write_text(json.dumps(data), "utf-8")
    calendar = load_calendar(TasksSettings(calendar_path=path))
    assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday off
    assert calendar.is_working_day(date(2027, 2, 13))  # a Saturday worked


def test_an_operators_toml_calendar_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text('years = [2027]\nholidays = ["2027-09-02"]\n', "utf-8")
    assert not load_calendar(TasksSettings(calendar_path=path)).is_working_day(date(2027, 9, 2))

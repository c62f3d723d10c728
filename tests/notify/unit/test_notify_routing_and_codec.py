"""Which channels a unit hears a notice on, and notices surviving the trip through the store."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from pydantic import ValidationError

from services.notify.domain.codec import ReadBack, notice_from_json, notice_to_json
from services.notify.domain.notices import (
    DeadlineNearNotice,
    Notice,
    PlanRef,
    ReportDueNotice,
    ReportMissedNotice,
    TaskAssignedNotice,
)
from services.notify.domain.quiet_hours import QuietHours
from services.notify.domain.routing import Preferences, channels_for, parse_clock
from services.notify.models import Subscription
from services.notify.schemas import SubscriptionIn
from services.notify.use_cases.subscriptions import preferences_of

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PLAN = PlanRef("Kế hoạch triển khai Luật Đất đai", "243/KH-UBND", date(2025, 9, 16))
NOTICES: list[Notice] = [
    TaskAssignedNotice(
        "UBND phường An Biên", PLAN, "Rà soát đất công", "phoi_hop", None, date(2026, 3, 2), "l"
    ),
    DeadlineNearNotice(
        "UBND xã An Hưng", PLAN, "Báo cáo sơ kết", "chu_tri", date(2027, 2, 28), date(2027, 2, 25), "l"
    ),
    ReportDueNotice(
        "Sở Tư pháp",
        "Quý I/2027",
        date(2026, 12, 15),
        date(2027, 3, 14),
        date(2027, 3, 15),
        date(2027, 3, 1),
        "l",
    ),
    ReportMissedNotice("Sở Tư pháp", "Quý I/2027", date(2027, 3, 15), date(2027, 3, 16), "l", plan=PLAN),
]


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: n.kind)
def test_a_recorded_notice_reads_back_unchanged(notice: Notice) -> None:
    assert notice_from_json(notice_to_json(notice)) == notice


def test_notices_read_back_are_kept_by_row_and_moment_the_oldest_going_first() -> None:
    kept = ReadBack(limit=2)
    first, second, third = NOTICES[:3]
    assert kept.keep("a", "t1", notice_to_json(first)) == first
    kept.keep("b", "t1", notice_to_json(second))
    assert (kept.get("a", "t1"), kept.get("a", "t2")) == (first, None)  # "a" written anew: not kept
    kept.keep("c", "t1", notice_to_json(third))
    assert len(kept) == 2
    assert [kept.get(row, "t1") for row in ("a", "b", "c")] == [None, second, third]


def test_a_unit_without_a_subscription_hears_everything_in_its_inbox_only() -> None:
    assert channels_for(None, "task_assigned") == ["inbox"]


def test_a_unit_hears_email_and_webhook_only_for_the_kinds_it_chose() -> None:
    chosen = Preferences(webhook_url="https://x.vn/h", emails=("a@x.vn",), kinds=("overdue",))
    assert channels_for(chosen, "overdue") == ["inbox", "email", "webhook"]
    assert channels_for(chosen, "report_due") == ["inbox"]
    assert channels_for(Preferences(emails=("a@x.vn",)), "report_due") == ["inbox", "email"]


def test_stored_quiet_hours_become_the_rules_quiet_hours() -> None:
    row = Subscription(
        unit="11407", emails=[], kinds=[], updated_at=NOW, quiet_start="22:00", quiet_end="06:30"
    )
    preferences = preferences_of(row)
    assert preferences is not None and preferences.quiet == QuietHours(time(22, 0), time(6, 30))
    weekends = Subscription(unit="11407", emails=[], kinds=[], updated_at=NOW, quiet_weekends=True)
    quiet = preferences_of(weekends)
    assert quiet is not None and quiet.quiet is not None and quiet.quiet.weekends


def test_a_clock_time_must_be_written_hh_mm() -> None:
    assert parse_clock("06:30") == time(6, 30)
    with pytest.raises(ValueError):
        parse_clock("6h30")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"emails": ["không phải địa chỉ"]}, "Địa chỉ thư điện tử không hợp lệ"),
        ({"webhook_url": "ftp://x.vn"}, "Địa chỉ webhook phải bắt đầu"),
        ({"quiet_start": "22:00"}, "Cần cả giờ bắt đầu và giờ kết thúc"),
        ({"quiet_start": "25:00", "quiet_end": "06:00"}, "Giờ phải viết dạng HH:MM"),
    ],
)
def test_a_bad_subscription_is_refused_in_vietnamese(body: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        SubscriptionIn.model_validate(body)

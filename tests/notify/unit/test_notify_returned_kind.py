"""The "returned" kind: kept in the store, routed like every kind, chosen in a subscription."""

from __future__ import annotations

from datetime import date

from services.notify.domain.codec import notice_from_json, notice_to_json
from services.notify.domain.notices import PlanRef, ReturnedNotice
from services.notify.domain.routing import Preferences, channels_for
from services.notify.http.schemas import SubscriptionIn

NOTICE = ReturnedNotice(
    unit_name="UBND phường An Biên",
    submission="report",
    version=3,
    note="Thiếu số liệu quý II.",
    returned_on=date(2026, 7, 3),
    link="https://dondoc.example/reports/bc-1",
    plan=PlanRef("Kế hoạch triển khai Luật Đất đai", "243/KH-UBND", date(2025, 9, 16)),
)


def test_a_returned_notice_reads_back_unchanged_from_the_store() -> None:
    stored = notice_to_json(NOTICE)
    assert stored["kind"] == "returned" and stored["returned_on"] == "2026-07-03"
    assert notice_from_json(stored) == NOTICE


def test_a_returned_notice_without_a_plan_or_reason_reads_back_unchanged() -> None:
    bare = ReturnedNotice("UBND xã An Hưng", "result", 1, None, date(2026, 7, 3), "https://x.vn/results/k")
    assert notice_from_json(notice_to_json(bare)) == bare


def test_a_unit_may_choose_to_hear_returns_by_email_and_only_them() -> None:
    chosen = SubscriptionIn(emails=["vanthu.anbien@haiphong.gov.vn"], kinds=["returned"])
    preferences = Preferences(emails=tuple(chosen.emails), kinds=tuple(chosen.kinds))
    assert channels_for(preferences, "returned") == ["inbox", "email"]
    assert channels_for(preferences, "overdue") == ["inbox"]


def test_a_unit_that_chose_other_kinds_hears_returns_in_its_inbox_only() -> None:
    preferences = Preferences(webhook_url="https://x.vn/h", emails=("a@x.vn",), kinds=("overdue",))
    assert channels_for(preferences, "returned") == ["inbox"]

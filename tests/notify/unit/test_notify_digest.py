"""Many assignments to one unit at once become one message listing them all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.notify.domain.digest import Pending, group_for_digest
from services.notify.domain.messages import build_digest, render
from services.notify.domain.notices import DeadlineNearNotice, Notice, PlanRef, TaskAssignedNotice

CITY_PLAN = PlanRef(
    title="Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội",
    number="243/KH-UBND",
    issued_on=date(2025, 9, 16),
)
WARD_PLAN = PlanRef(title="Kế hoạch thực hiện Nghị quyết số 268/NQ-CP ngày 31/8/2025 của Chính phủ")


def assignment(
    task_title: str = "Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15",
) -> TaskAssignedNotice:
    """A lead (chủ trì) assignment for UBND phường An Biên, due 28/02/2027, seen five days before."""
    return TaskAssignedNotice(
        unit_name="UBND phường An Biên",
        plan=CITY_PLAN,
        task_title=task_title,
        role="chu_tri",
        due=date(2027, 2, 28),
        as_of=date(2027, 2, 23),
        link="https://dondoc.example/giao-viec/a-1",
    )


T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _seventeen() -> list[TaskAssignedNotice]:
    return [
        replace(
            assignment(f"Nhiệm vụ số {i}: triển khai nội dung thứ {i} của Kế hoạch"),
            role="chu_tri" if i % 3 else "phoi_hop",
            link=f"https://dondoc.example/giao-viec/a-{i}",
        )
        for i in range(1, 18)
    ]


def _pending(notice: Notice, unit: str, plan_id: str | None, seconds: int, nid: str) -> Pending:
    return Pending(nid, unit, plan_id, T0 + timedelta(seconds=seconds), notice)


def test_a_city_plan_with_17_tasks_reaches_a_ward_as_one_message_listing_all_17() -> None:
    items = _seventeen()
    message = build_digest(items)
    assert message.item_count == 17
    assert message.subject == "17 nhiệm vụ mới theo Kế hoạch số 243/KH-UBND ngày 16/09/2025"
    for i, item in enumerate(items, start=1):
        assert f"{i}. {item.task_title}" in message.text
        assert item.link in message.text
        assert item.link in message.html
    assert message.html.count("<li>") == 17
    assert message.text.count("Vai trò của đơn vị: phối hợp") == 5
    assert message.text.count("ngày 28/02/2027 (còn 5 ngày)") == 17


def test_a_digest_of_one_is_sent_as_the_plain_message() -> None:
    assert build_digest([assignment()]) == render(assignment())


def test_a_digest_with_an_overview_link_points_to_it() -> None:
    message = build_digest(_seventeen()[:2], link="https://dondoc.example/ke-hoach/243")
    assert message.link == "https://dondoc.example/ke-hoach/243"
    assert "Xem toàn bộ tại: https://dondoc.example/ke-hoach/243" in message.text


def test_deadline_reminders_are_digested_with_their_own_wording() -> None:
    reminders = [
        DeadlineNearNotice(
            unit_name="UBND phường Tân Hưng",
            plan=WARD_PLAN,
            task_title=f"Nội dung {i}",
            role="chu_tri",
            due=date(2026, 5, 31),
            as_of=date(2026, 5, 31) - timedelta(days=i),
            link=f"https://dondoc.example/giao-viec/n-{i}",
        )
        for i in (1, 3)
    ]
    message = build_digest(reminders)
    assert message.subject.startswith(
        "2 nhiệm vụ sắp đến hạn theo Kế hoạch thực hiện Nghị quyết số 268/NQ-CP"
    )
    assert "(còn 1 ngày)" in message.text
    assert "(còn 3 ngày)" in message.text


def test_a_digest_refuses_to_mix_units_plans_or_kinds() -> None:
    other_unit = replace(assignment(), unit_name="UBND phường Tân Hưng")
    other_plan = replace(assignment(), plan=WARD_PLAN)
    reminder = DeadlineNearNotice(
        "UBND phường An Biên", CITY_PLAN, "X", "chu_tri", date(2027, 2, 28), date(2027, 2, 25), "https://x"
    )
    mixtures: list[list[Notice]] = [
        [assignment(), other_unit],
        [assignment(), other_plan],
        [assignment(), reminder],
    ]
    for mixed in mixtures:
        with pytest.raises(ValueError):
            build_digest(mixed)
    with pytest.raises(ValueError):
        build_digest([])


def test_grouping_puts_each_unit_plan_and_kind_in_its_own_batch() -> None:
    pending = [_pending(n, "an-bien", "kh-243", i, f"n{i}") for i, n in enumerate(_seventeen())]
    pending += [
        _pending(replace(assignment(), unit_name="UBND phường Tân Hưng"), "tan-hung", "kh-243", 2, "t1")
    ]
    pending += [_pending(replace(assignment(), plan=WARD_PLAN), "an-bien", "kh-268", 3, "w1")]
    reminder = DeadlineNearNotice(
        "UBND phường An Biên", CITY_PLAN, "X", "chu_tri", date(2027, 2, 28), date(2027, 2, 25), "https://x"
    )
    pending += [_pending(reminder, "an-bien", "kh-243", 4, "r1")]
    groups = group_for_digest(reversed(pending), window=timedelta(minutes=2))
    sizes = {(g.unit, g.plan_id, g.kind): len(g.items) for g in groups}
    assert sizes == {
        ("an-bien", "kh-243", "task_assigned"): 17,
        ("tan-hung", "kh-243", "task_assigned"): 1,
        ("an-bien", "kh-268", "task_assigned"): 1,
        ("an-bien", "kh-243", "deadline_near"): 1,
    }
    seventeen = next(g for g in groups if len(g.items) == 17)
    assert seventeen.notification_ids == [f"n{i}" for i in range(17)]
    assert seventeen.send_at == T0 + timedelta(minutes=2)
    assert build_digest(seventeen.notices).item_count == 17


def test_assignments_arriving_after_the_window_start_a_new_batch() -> None:
    notices = _seventeen()
    pending = [
        _pending(notices[0], "an-bien", "kh-243", 0, "a"),
        _pending(notices[1], "an-bien", "kh-243", 119, "b"),
        _pending(notices[2], "an-bien", "kh-243", 120, "c"),
        _pending(notices[3], "an-bien", "kh-243", 500, "d"),
    ]
    groups = group_for_digest(pending, window=timedelta(seconds=120))
    assert [g.notification_ids for g in groups] == [["a", "b"], ["c"], ["d"]]
    assert [g.send_at for g in groups] == [T0 + timedelta(seconds=s) for s in (120, 240, 620)]


def test_nothing_pending_gives_no_groups() -> None:
    assert group_for_digest([], window=timedelta(minutes=1)) == []


def test_every_digest_line_is_numbered_in_order() -> None:
    message = build_digest(_seventeen())
    numbers = [int(m) for m in re.findall(r"^(\d+)\. ", message.text, flags=re.MULTILINE)]
    assert numbers == list(range(1, 18))

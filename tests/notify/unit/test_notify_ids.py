"""A notification's id: the same for the same event, unit and channel; in the order its events were made."""

from __future__ import annotations

import time
import uuid

from dondoc.kernel.ids import time_ordered_id
from services.notify.use_cases.recording import notification_id


def test_the_same_event_unit_and_channel_is_the_same_notification() -> None:
    event = time_ordered_id()
    first = notification_id(event, "11407", "inbox")
    assert notification_id(event, "11407", "inbox") == first
    others = {notification_id(event, "11407", "email"), notification_id(event, "11408", "inbox")}
    others.add(notification_id(time_ordered_id(), "11407", "inbox"))
    assert first not in others and len(others) == 3


def test_an_events_time_leads_its_notifications_so_later_events_sort_later() -> None:
    earlier = [time_ordered_id() for _ in range(300)]
    time.sleep(0.002)  # the next millisecond
    later = [time_ordered_id() for _ in range(300)]
    ids = [notification_id(e, f"u{i % 134}", "inbox") for i, e in enumerate(earlier + later)]
    assert max(ids[:300]) < min(ids[300:])
    made = uuid.UUID(ids[0])
    assert made.version == 8 and made.variant == uuid.RFC_4122
    assert made.int >> 80 == uuid.UUID(earlier[0]).int >> 80


def test_an_event_id_without_a_time_gives_the_name_based_id_as_before() -> None:
    old = str(uuid.uuid4())
    made = uuid.UUID(notification_id(old, "11407", "inbox"))
    assert made.version == 5
    assert notification_id("not-a-uuid", "11407", "inbox") == notification_id("not-a-uuid", "11407", "inbox")

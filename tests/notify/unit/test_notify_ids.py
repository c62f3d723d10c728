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


def reference(source_event_id: str, unit: str, channel: str) -> str:
    """The definition, with the uuid module's objects: what notification_id computes on integers."""
    namespace = uuid.UUID("8d2f0c1e-5b7a-4f4e-9c1d-6e6f74696679")
    hashed = uuid.uuid5(namespace, f"{source_event_id}|{unit}|{channel}")
    try:
        source = uuid.UUID(source_event_id)
    except ValueError:
        return str(hashed)
    if source.version != 7:
        return str(hashed)
    return str(uuid.UUID(int=((source.int >> 80) << 80) | (0x8 << 76) | (hashed.int & ((1 << 76) - 1))))


def test_the_integer_computation_gives_the_uuid_modules_id_for_every_kind_of_event_id() -> None:
    v7 = [time_ordered_id() for _ in range(200)]
    event_ids = [
        *v7,
        *(e.upper() for e in v7[:20]),
        *("{" + e + "}" for e in v7[:20]),
        *("urn:uuid:" + e for e in v7[:20]),
        *(e.replace("-", "") for e in v7[:20]),
        *(str(uuid.uuid4()) for _ in range(100)),
        *(str(uuid.uuid1()) for _ in range(20)),
        *(e[:19] + "c" + e[20:] for e in v7[:20]),  # version 7 bits, another variant
        "not-a-uuid",
        "",
        "0" * 32,
        "g" * 32,
        "Đơn vị",
    ]
    for i, event_id in enumerate(event_ids):
        for channel in ("inbox", "email", "webhook"):
            unit = f"u{i % 134}"
            assert notification_id(event_id, unit, channel) == reference(event_id, unit, channel), event_id

"""Event ids are UUIDs version 7: unique, and later ones sort after earlier ones (RFC 9562)."""

from __future__ import annotations

import time
import uuid

from dondoc.kernel.ids import time_ordered_id
from shared.envelope import Envelope, wrap
from shared.events import DeadlineNear


def test_an_id_is_a_version_7_uuid_carrying_the_time_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid.UUID(time_ordered_id())
    after = time.time_ns() // 1_000_000
    assert made.version == 7 and made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after


def test_ids_made_later_sort_later_and_none_repeats() -> None:
    first = [time_ordered_id() for _ in range(2000)]
    time.sleep(0.002)  # the next millisecond: within one, the order is random
    later = [time_ordered_id() for _ in range(2000)]
    assert max(first) < min(later)
    assert len(set(first + later)) == 4000


def test_an_events_envelope_gets_one() -> None:
    event = DeadlineNear(assignment_id="a-1", unit="11407", due="2027-01-15", days_left=3, offset_days=3)
    envelope = wrap(event, source="tasks", correlation_id="c-1")
    assert uuid.UUID(envelope.id).version == 7
    assert uuid.UUID(Envelope(source="x", type="t", correlationid="c", data={}).id).version == 7
    assert wrap(event, source="tasks", correlation_id="c-1", event_id="kept").id == "kept"

"""Event ids are UUIDs version 7: unique, and later ones sort after earlier ones (RFC 9562)."""

from __future__ import annotations

import time
import uuid

from dondoc.kernel.ids import canonical, time_ordered_id, time_prefix
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


def test_canonical_text_is_the_uuid_modules() -> None:
    values = [0, (1 << 128) - 1, *(uuid.uuid4().int for _ in range(200))]
    for value in values:
        assert canonical(value) == str(uuid.UUID(int=value))


def test_the_time_prefix_is_read_only_from_a_version_7_id() -> None:
    made = time_ordered_id()
    assert time_prefix(made) == (uuid.UUID(made).int >> 80) << 80
    assert time_prefix("{" + made.upper() + "}") == time_prefix(made)
    assert time_prefix(str(uuid.uuid4())) is None
    assert time_prefix(made[:19] + "c" + made[20:]) is None  # the variant is not the RFC's
    assert time_prefix("not-a-uuid") is None

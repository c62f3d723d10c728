"""The CloudEvents envelope: what producers put in, what tolerant consumers get out."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.envelope import TYPE_PREFIX, Envelope, UnknownEventType, model_for, wrap
from shared.events import EVENT_MODELS, DeadlineNear, TaskOverdue
from shared.topics import ALL_TOPICS


def reminder() -> DeadlineNear:
    return DeadlineNear(assignment_id="a1", unit="11407", due=date(2027, 2, 28), days_left=3, offset_days=3)


def test_an_event_round_trips_with_its_cloudevents_attributes() -> None:
    env = wrap(reminder(), source="tasks", correlation_id="req-1", subject="a1", causation_id="ev-0")
    back = Envelope.from_bytes(env.to_bytes())
    assert back.specversion == "1.0" and back.source == "dondoc/tasks" and back.subject == "a1"
    assert back.type == TYPE_PREFIX + "deadline.near" and back.topic == "deadline.near"
    assert back.correlationid == "req-1" and back.causationid == "ev-0" and back.schemaversion == 1
    assert back.payload(DeadlineNear) == reminder()


def test_each_wrapped_event_gets_its_own_id() -> None:
    assert (
        wrap(reminder(), source="t", correlation_id="c").id
        != wrap(reminder(), source="t", correlation_id="c").id
    )


def test_producers_are_strict_about_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        DeadlineNear(
            assignment_id="a", unit="u", due=date(2026, 1, 1), days_left=1, offset_days=1, surprise=True
        )  # type: ignore[call-arg]  # the unknown field is the point


def test_consumers_tolerate_fields_a_newer_producer_added() -> None:
    env = wrap(reminder(), source="tasks", correlation_id="c")
    newer = env.model_copy(update={"data": {**env.data, "added_later": "x"}})
    assert newer.payload(DeadlineNear) == reminder()


def test_reading_an_envelope_as_the_wrong_event_is_refused() -> None:
    env = wrap(reminder(), source="tasks", correlation_id="c")
    with pytest.raises(UnknownEventType):
        env.payload(TaskOverdue)


def test_a_newer_schema_version_than_the_consumer_knows_is_refused() -> None:
    env = wrap(reminder(), source="tasks", correlation_id="c").model_copy(update={"schemaversion": 2})
    with pytest.raises(UnknownEventType):
        env.payload(DeadlineNear)


def test_an_unknown_event_type_has_no_model() -> None:
    env = wrap(reminder(), source="tasks", correlation_id="c").model_copy(
        update={"type": TYPE_PREFIX + "nope"}
    )
    with pytest.raises(UnknownEventType):
        model_for(env)


def test_every_event_has_a_topic_and_every_topic_an_event() -> None:
    assert set(EVENT_MODELS) == set(ALL_TOPICS)

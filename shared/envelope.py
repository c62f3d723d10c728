"""The CloudEvents 1.0 envelope every dondoc event travels in (structured JSON mode)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.kernel.ids import time_ordered_id
from shared.events import EVENT_MODELS, Event

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
TYPE_PREFIX = "vn.dondoc."

E = TypeVar("E", bound=Event)


class UnknownEventType(ValueError):
    """The envelope names an event type (or schema version) this consumer does not know."""


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes plus dondoc's extensions `schemaversion` and `correlationid`."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=time_ordered_id)  # sorts by creation: indexes keyed by it append
    source: str
    type: str
    time: datetime = Field(default_factory=SYSTEM_CLOCK.now)
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    schemaversion: int = 1
    correlationid: str
    causationid: str | None = None
    data: dict[str, object]

    @property
    def topic(self) -> str:
        """The topic this event belongs on: its type without the reverse-DNS prefix."""
        return self.type.removeprefix(TYPE_PREFIX)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate_json(raw)

    def payload(self, model: builtins.type[E]) -> E:
        """Read the data as `model`, tolerating fields a newer producer added."""
        if self.topic != model.topic:
            raise UnknownEventType(f"{self.type} is not {model.topic}")
        if self.schemaversion > model.schema_version:
            raise UnknownEventType(f"{self.type} v{self.schemaversion} is newer than v{model.schema_version}")
        fields = model.model_fields  # a class property: looked up once, not once per key
        known = {k: v for k, v in self.data.items() if k in fields}
        return model.model_validate(known)


def wrap(
    event: Event,
    *,
    source: str,
    correlation_id: str,
    subject: str | None = None,
    causation_id: str | None = None,
    event_id: str | None = None,
) -> Envelope:
    """Put a payload in its envelope; the event's class fixes type, topic and schema version."""
    return Envelope(
        id=event_id or time_ordered_id(),
        source=f"dondoc/{source}",
        type=TYPE_PREFIX + event.topic,
        subject=subject,
        schemaversion=event.schema_version,
        correlationid=correlation_id,
        causationid=causation_id,
        data=event.model_dump(mode="json"),
    )


def model_for(envelope: Envelope) -> type[Event]:
    """The payload model registered for an envelope's type."""
    try:
        return EVENT_MODELS[envelope.topic]
    except KeyError:
        raise UnknownEventType(envelope.type) from None

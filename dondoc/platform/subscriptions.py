"""A service's consumers keyed by event class: the platform reads the payload, a use case gets a typed event.

A service declares what it consumes as `Subscriptions[Ctx]().on(TaskAssigned, recording.on_task_assigned)`:
the handler's signature is `(uow, event: TaskAssigned, ctx: Ctx)`, checked by mypy against the class it is
registered for. `bind(ctx)` turns the declaration into the topic → envelope handler map the platform's
consumer runs (inbox, one transaction, batching, retries, dead letters: dondoc/platform/consumer.py and
batch.py, unchanged by this). A payload that does not read as its class can never take effect, so it is
dead-lettered at once (`Poison`), never retried.

What the envelope says beyond the payload (the event's id and time) is there for the few handlers that need
it through `current_event()`, bound while each event is handled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Self, TypeVar

from pydantic import ValidationError

from dondoc.kernel.clock import as_utc
from dondoc.platform.consumer import Handler, Poison, Prefetching
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope, UnknownEventType
from shared.events import Event

E = TypeVar("E", bound=Event)
E_co = TypeVar("E_co", bound=Event, covariant=True)
C = TypeVar("C")


@dataclass(frozen=True)
class EventFacts:
    """The envelope's facts about an event: its id (unique per event) and when its producer emitted it."""

    id: str
    time: datetime

    @classmethod
    def of(cls, envelope: Envelope) -> EventFacts:
        return cls(envelope.id, as_utc(envelope.time))


@dataclass(frozen=True)
class Received(Generic[E_co]):
    """An event as a batch's prefetch sees it: the typed payload and its envelope's facts."""

    facts: EventFacts
    event: E_co


# The envelope being handled; its facts are made when a handler asks (most never do).
_current: ContextVar[Envelope | None] = ContextVar("current_event", default=None)


def current_event() -> EventFacts:
    """The facts of the event being handled (only inside a handler the platform called)."""
    envelope = _current.get()
    if envelope is None:
        raise LookupError("no event is being handled")
    return EventFacts.of(envelope)


EventHandler = Callable[[UnitOfWork, E, C], Awaitable[None]]
EventPrefetch = Callable[[UnitOfWork, Sequence[Received[E]], C], Awaitable[None]]
Before = Callable[[UnitOfWork, C], Awaitable[None]]
_Binder = Callable[[C], Handler]


def read(envelope: Envelope, model: type[E]) -> E:
    """The payload as `model`; one that cannot be read as it is poison (retrying cannot help)."""
    try:
        return envelope.payload(model)
    except (ValidationError, UnknownEventType) as exc:
        raise Poison(f"payload is not a valid {model.__name__}: {exc}") from exc


_BEFORE_RAN = "subscriptions.before_ran"  # the unit of work's memo of the hooks already run


@dataclass(frozen=True)
class _Entry(Generic[E, C]):
    model: type[E]
    handler: EventHandler[E, C]
    prefetch: EventPrefetch[E, C] | None
    before: tuple[Before[C], ...]

    def bind(self, ctx: C) -> Handler:
        # A batch reads each payload once: the prefetch keeps what it read for the handler that follows.
        read_in_batch: dict[str, tuple[Envelope, E]] = {}

        def typed(envelope: Envelope) -> E:
            kept = read_in_batch.pop(envelope.id, None)
            if kept is not None and kept[0] is envelope:
                return kept[1]
            return read(envelope, self.model)

        async def handle(uow: UnitOfWork, envelope: Envelope) -> None:
            event = typed(envelope)
            if self.before:
                ran: set[object] = uow.memo(_BEFORE_RAN, set)  # once per unit of work, not per event
                for hook in self.before:
                    if hook not in ran:
                        ran.add(hook)
                        await hook(uow, ctx)
            token = _current.set(envelope)
            try:
                await self.handler(uow, event, ctx)
            finally:
                _current.reset(token)

        prefetch = self.prefetch
        if prefetch is None:
            return handle

        async def load(uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
            read_in_batch.clear()
            received: list[Received[E]] = []
            for envelope in envelopes:
                try:
                    event = read(envelope, self.model)
                except Poison:
                    continue  # its handler raises it, alone, when the batch falls back to one by one
                read_in_batch[envelope.id] = (envelope, event)
                received.append(Received(EventFacts.of(envelope), event))
            await prefetch(uow, received, ctx)

        return Prefetching(handle, load)


class Subscriptions(Generic[C]):
    """What a service consumes: event class → use case, each taking `(uow, event, ctx)`.

    `before` hooks run ahead of the handlers registered here, once per unit of work (a batch's first event
    runs them, in the same transaction): tasks and notify read the newest directory from their store there,
    in case another replica consumed its event.
    """

    def __init__(self, *, before: Sequence[Before[C]] = ()) -> None:
        # topic → (its event class, its entry's `bind`): the pairing `on` checked, kept past its type variable
        self._entries: dict[str, tuple[type[Event], _Binder[C]]] = {}
        self._before = tuple(before)

    def on(
        self,
        model: type[E],
        handler: EventHandler[E, C],
        *,
        prefetch: EventPrefetch[E, C] | None = None,
    ) -> Self:
        """Handle `model`'s topic with `handler`; `prefetch` loads what a whole batch of them looks up."""
        if model.topic in self._entries:
            raise ValueError(f"{model.__name__} is subscribed twice")
        self._entries[model.topic] = (model, _Entry(model, handler, prefetch, self._before).bind)
        return self

    def include(self, other: Subscriptions[C]) -> Self:
        """Add another declaration's subscriptions (a service made of several projections)."""
        for topic, entry in other._entries.items():
            if topic in self._entries:
                raise ValueError(f"{entry[0].__name__} is subscribed twice")
            self._entries[topic] = entry
        return self

    @property
    def events(self) -> Mapping[str, type[Event]]:
        """Topic → the event class consumed from it."""
        return {topic: model for topic, (model, _bind) in self._entries.items()}

    def bind(self, ctx: C) -> dict[str, Handler]:
        """The topic → handler map the platform's consumer runs, every handler given `ctx`."""
        return {topic: bind(ctx) for topic, (_model, bind) in self._entries.items()}

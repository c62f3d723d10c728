"""Consuming a fetched batch in one transaction, falling back to one event at a time when any of it fails.

A transaction and an offset commit per event bound a consumer to a few hundred events a second; a city plan
is thousands of them at once. So a batch (what one fetch returned, across the service's topics) is handled in
one unit of work: the inbox is still one row per event and per consumer, a duplicate is still skipped, and the
caller commits the offsets only after that transaction committed. If any handler raises, the whole
transaction rolls back and the batch is handled again one event at a time by each topic's MessageProcessor,
so a poison event is retried and dead-lettered alone and the others take effect.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from dondoc.platform.consumer import (
    TRANSIENT_ERRORS,
    MessageProcessor,
    Outcome,
    Prefetching,
    RawMessage,
    UowFactory,
)
from dondoc.platform.context import bind
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope, UnknownEventType, model_for

log = logging.getLogger(__name__)


def _readable(raw: RawMessage) -> Envelope | None:
    """The envelope, or None when the message can never be handled (the processor dead-letters it)."""
    try:
        envelope = Envelope.from_bytes(raw.value)
        model = model_for(envelope)
    except (ValidationError, UnknownEventType, ValueError):
        return None
    return envelope if envelope.schemaversion <= model.schema_version else None


class BatchProcessor:
    """Runs a batch of messages through their topics' handlers, each event's effect exactly once."""

    def __init__(self, processors: Mapping[str, MessageProcessor], uow_factory: UowFactory) -> None:
        self._processors = processors
        self._uow = uow_factory

    async def process(self, batch: Sequence[RawMessage]) -> list[Outcome]:
        """One outcome per message, in order. RETRY_LATER for a message means: it and what follows it in its
        partition must be read again (the caller seeks back and commits nothing past it)."""
        envelopes = [_readable(raw) for raw in batch]
        if len(batch) > 1 and all(envelopes):
            try:
                return await self._together(batch, [e for e in envelopes if e is not None])
            except TRANSIENT_ERRORS as exc:
                log.warning("store unavailable, will retry the batch", extra={"error": str(exc)})
                return [Outcome.RETRY_LATER] * len(batch)
            except Exception as exc:  # one of them is bad: find which, alone
                log.info(
                    "batch failed, handling its events one at a time",
                    extra={"size": len(batch), "error": f"{type(exc).__name__}: {exc}"},
                )
        return await self._one_by_one(batch)

    async def _together(self, batch: Sequence[RawMessage], envelopes: Sequence[Envelope]) -> list[Outcome]:
        async with self._uow() as uow:
            await uow.lock_for_writing()
            done: set[tuple[str, str]] = set()
            by_consumer: dict[str, list[str]] = {}
            for raw, envelope in zip(batch, envelopes, strict=True):
                by_consumer.setdefault(self._processors[raw.topic].consumer, []).append(envelope.id)
            for consumer, ids in by_consumer.items():
                done |= {(consumer, event_id) for event_id in await uow.processed_among(consumer, ids)}
            await self._prefetch(uow, batch, envelopes, done)
            outcomes: list[Outcome] = []
            fresh: list[tuple[str, str]] = []
            for raw, envelope in zip(batch, envelopes, strict=True):
                processor = self._processors[raw.topic]
                key = (processor.consumer, envelope.id)
                if key in done:  # processed before, or earlier in this very batch
                    outcomes.append(Outcome.DUPLICATE)
                    continue
                bind(envelope.correlationid, envelope.id)  # the events it emits carry its ids
                await processor.handler(uow, envelope)
                done.add(key)
                fresh.append(key)
                outcomes.append(Outcome.OK)
            await uow.mark_processed_many(fresh)
            await uow.commit()
            return outcomes

    async def _prefetch(
        self,
        uow: UnitOfWork,
        batch: Sequence[RawMessage],
        envelopes: Sequence[Envelope],
        done: set[tuple[str, str]],
    ) -> None:
        by_topic: dict[str, list[Envelope]] = {}
        for raw, envelope in zip(batch, envelopes, strict=True):
            if (self._processors[raw.topic].consumer, envelope.id) not in done:
                by_topic.setdefault(raw.topic, []).append(envelope)
        for topic, fresh in by_topic.items():
            handler = self._processors[topic].handler
            if isinstance(handler, Prefetching):
                await handler.prefetch(uow, fresh)

    async def _one_by_one(self, batch: Sequence[RawMessage]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for raw in batch:
            if outcomes and outcomes[-1] is Outcome.RETRY_LATER:
                outcomes.append(Outcome.RETRY_LATER)  # not tried: the store is away
                continue
            outcomes.append(await self._processors[raw.topic].process(raw))
        return outcomes

"""Consuming at least once with idempotent effects: inbox, commit-then-ack, bounded retries, dead letters."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from dondoc.platform.context import bind
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope, UnknownEventType, model_for
from shared.events import DeadLetter

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope], Awaitable[None]]
UowFactory = Callable[[], UnitOfWork]
Prefetch = Callable[[UnitOfWork, Sequence[Envelope]], Awaitable[None]]


@dataclass(frozen=True)
class Prefetching:
    """A handler that first loads, in a few queries, the rows a whole batch of its events will look up.

    Used where events come by the thousand (a city plan's assignments): without it each event's look-ups are
    queries of their own. Handled one at a time (a retry, a batch of one), it is the plain handler.
    """

    handle: Handler
    prefetch: Prefetch

    async def __call__(self, uow: UnitOfWork, envelope: Envelope) -> None:
        await self.handle(uow, envelope)


# The store being unreachable is not the message's fault: never dead-letter for it, retry later.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError, TimeoutError)


class Poison(Exception):
    """An event that can never take effect (it breaks a rule, not a passing fault): dead-lettered at once."""


class Outcome(StrEnum):
    OK = "ok"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"
    RETRY_LATER = "retry_later"


class RawMessage(NamedTuple):
    """A record as fetched (a tuple: a batch builds hundreds of them, at a third of a dataclass's cost)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


class MessageProcessor:
    """Runs one handler for one consumer, so that each event has its effect exactly once."""

    def __init__(
        self,
        consumer: str,
        handler: Handler,
        uow_factory: UowFactory,
        *,
        max_attempts: int = 3,
        retry_base_seconds: float = 0.2,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_retry: Callable[[], None] = lambda: None,
    ) -> None:
        self.consumer = consumer
        self._handler = handler
        self._uow = uow_factory
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds
        self._sleep = sleep
        self._on_retry = on_retry

    @property
    def handler(self) -> Handler:
        return self._handler

    async def process(self, raw: RawMessage) -> Outcome:
        try:
            envelope = Envelope.from_bytes(raw.value)
            model = model_for(envelope)
            if envelope.schemaversion > model.schema_version:
                raise UnknownEventType(f"{envelope.type} v{envelope.schemaversion}")
        except (ValidationError, UnknownEventType, ValueError) as exc:
            return await self._dead_letter(raw, None, f"unreadable event: {exc}", attempts=1)
        bind(envelope.correlationid, envelope.id)
        error = ""
        for attempt in range(1, self._max_attempts + 1):
            try:
                return await self._apply_once(envelope)
            except TRANSIENT_ERRORS as exc:
                log.warning(
                    "store unavailable, will retry", extra={"consumer": self.consumer, "error": str(exc)}
                )
                return Outcome.RETRY_LATER
            except Poison as exc:  # retrying cannot help: the reason goes with the dead letter
                return await self._dead_letter(raw, envelope, f"refused: {exc}", attempts=attempt)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.exception("handler failed", extra={"consumer": self.consumer, "attempt": attempt})
                if attempt < self._max_attempts:
                    self._on_retry()
                    await self._sleep(self._retry_base * 2 ** (attempt - 1))
        return await self._dead_letter(raw, envelope, error, attempts=self._max_attempts)

    async def _apply_once(self, envelope: Envelope) -> Outcome:
        try:
            async with self._uow() as uow:
                await uow.lock_for_writing()
                if await uow.already_processed(self.consumer, envelope.id):
                    return Outcome.DUPLICATE
                await self._handler(uow, envelope)
                await uow.mark_processed(self.consumer, envelope.id)
                await uow.commit()
                return Outcome.OK
        except IntegrityError:
            # Another delivery of the same event committed first (e.g. during a rebalance).
            async with self._uow() as uow:
                if await uow.already_processed(self.consumer, envelope.id):
                    return Outcome.DUPLICATE
            raise

    async def _dead_letter(
        self, raw: RawMessage, envelope: Envelope | None, error: str, attempts: int
    ) -> Outcome:
        key = raw.key.decode("utf-8", "replace") if raw.key else None
        try:
            payload_text = raw.value.decode("utf-8")
        except UnicodeDecodeError:
            payload_text = "base64:" + base64.b64encode(raw.value).decode()
        try:
            async with self._uow() as uow:
                await uow.lock_for_writing()
                await uow.record_dead_letter(
                    consumer=self.consumer,
                    topic=raw.topic,
                    partition=raw.partition,
                    offset=raw.offset,
                    key=key,
                    event_id=envelope.id if envelope else None,
                    error=error[:4000],
                    attempts=attempts,
                    payload=raw.value,
                )
                uow.emit(
                    DeadLetter(
                        consumer=self.consumer,
                        original_topic=raw.topic,
                        partition=raw.partition,
                        offset=raw.offset,
                        key=key,
                        error=error[:4000],
                        attempts=attempts,
                        payload=payload_text,
                    ),
                    key=self.consumer,
                )
                await uow.commit()
        except TRANSIENT_ERRORS:
            return Outcome.RETRY_LATER
        log.error("dead-lettered", extra={"consumer": self.consumer, "topic": raw.topic, "error": error})
        return Outcome.DEAD_LETTERED

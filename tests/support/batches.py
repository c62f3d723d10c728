"""A service's consumers fed whole batches on a real store, as the platform's batch consumer feeds them.

The broker decides how records group into batches; a test that must know (several events about one
assignment in one transaction) hands `BatchProcessor` the batch itself. `fell_back` tells whether a batch
had to be handled again one event at a time (correct, only slower), which the batch paths should avoid.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from dondoc.platform import migrations
from dondoc.platform.batch import BatchProcessor
from dondoc.platform.consumer import MessageProcessor, Outcome, RawMessage, UowFactory
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.runtime import ServiceSpec
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope, wrap
from shared.events import Event


@dataclass
class Batches:
    """Hands batches of events to a service's handlers; `uow()` opens its store."""

    processor: BatchProcessor
    uow: UowFactory
    caplog: pytest.LogCaptureFixture
    offset: int = 0

    async def handle(self, events: Sequence[Event | Envelope]) -> list[Outcome]:
        """Handle the events as one batch (what one fetch returned); the outcome of each."""
        raws = []
        for item in events:
            envelope = item if isinstance(item, Envelope) else wrap(item, source="test", correlation_id="c")
            raws.append(RawMessage(envelope.topic, 0, self.offset, None, envelope.to_bytes()))
            self.offset += 1
        return await self.processor.process(raws)

    def fell_back(self) -> bool:
        """Whether a batch was handled again one event at a time since the test began."""
        return "handling its events one at a time" in self.caplog.text


@asynccontextmanager
async def batches_of(
    spec: ServiceSpec, database_url: str, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Batches]:
    """The service's handlers (from its app's spec) over a freshly migrated store."""
    caplog.set_level(logging.INFO, logger="dondoc.platform.batch")
    await asyncio.to_thread(migrations.upgrade, spec.migrations, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, spec.tables, spec.name)

    processors = {
        topic: MessageProcessor(f"{spec.name}.{topic}", handler, uow, retry_base_seconds=0.0)
        for topic, handler in spec.subscriptions.items()
    }
    try:
        yield Batches(BatchProcessor(processors, uow), uow, caplog)
    finally:
        await engine.dispose()

"""A service's running parts, built in the lifespan and disposed there: store, broker, relay, consumers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from typing_extensions import TypeVar

from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform import kafka, migrations
from dondoc.platform.auth import CredentialCache
from dondoc.platform.consumer import Handler, MessageProcessor
from dondoc.platform.db import create_engine, is_sqlite, reading, session_factory
from dondoc.platform.epoch import BrokerEpoch
from dondoc.platform.jobs import Job, JobRunner
from dondoc.platform.lag import watch_lag
from dondoc.platform.locks import KeyedLocks
from dondoc.platform.metrics import ServiceMetrics
from dondoc.platform.outbox import NotConnected, OutboxRelay, SqlOutboxStore
from dondoc.platform.readiness import Readiness, watch_readiness
from dondoc.platform.recovery import Rewinder, watch_broker
from dondoc.platform.revocations import RevocationWatch
from dondoc.platform.settings import ServiceSettings
from dondoc.platform.tables import PlatformTables
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope
from shared.topics import ALL_TOPICS, CREDENTIAL_CHANGED

log = logging.getLogger(__name__)

# A runtime is typed by its service's settings and context; bare `Runtime` is what the platform sees of any
# service (covariant: a service's runtime is a Runtime; both are set once, when it is built).
S = TypeVar("S", bound=ServiceSettings, default=ServiceSettings, covariant=True)
C = TypeVar("C", default=object, covariant=True)


@dataclass(frozen=True)
class ServiceSpec:
    """What makes a service itself: its name, its store's schema, and its topic → handler map."""

    name: str
    metadata: MetaData
    tables: PlatformTables
    migrations: Path
    subscriptions: Mapping[str, Handler] = field(default_factory=dict)


class Runtime(Generic[S, C]):
    """One running service: its settings and context (typed as the service's own), engine, broker, relay
    and jobs. Built afresh by each start of the app (the lifespan), so a test may start an app twice."""

    def __init__(
        self,
        spec: ServiceSpec,
        settings: S,
        context: C,
        metrics: ServiceMetrics,
        jobs: Sequence[Job[Runtime[S, C]]] = (),
    ) -> None:
        self.spec = spec
        self.settings = settings
        self.context = context
        self.metrics = metrics
        self.jobs = JobRunner(jobs, self, metrics, settings.shutdown_grace_seconds)
        self.broker_connected = False
        self.readiness = Readiness(metrics.ready)
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._broker: KafkaBroker | None = None
        self._producer: AIOKafkaProducer | None = None  # the relay's, started with the broker (ADR 0115)
        self._relay: OutboxRelay | None = None
        self._epoch: BrokerEpoch | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._relay_task: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[list[Envelope]], None]] = []
        # SQLite's writers in this process take turns (UnitOfWork.lock_for_writing); PostgreSQL's need not.
        self.writer: asyncio.Lock | None = asyncio.Lock() if is_sqlite(settings.database_url) else None
        self.write_locks = KeyedLocks()  # serialises writes that number versions of one thing
        self.credentials = CredentialCache()  # keys looked up lately (ADR 0051)
        self.revocations = RevocationWatch(settings, on_revoked=self.credentials.clear)

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("runtime not started")
        return self._engine

    @property
    def epoch(self) -> BrokerEpoch:
        if self._epoch is None:
            raise RuntimeError("runtime not started")
        return self._epoch

    @property
    def broker(self) -> KafkaBroker:
        if self._broker is None:
            raise RuntimeError("runtime not started")
        return self._broker

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on this service's store."""
        if self._sessions is None:
            raise RuntimeError("runtime not started")
        return UnitOfWork(
            self._sessions, self.spec.tables, self.spec.name, on_commit=self._committed, writer=self.writer
        )

    def on_events_committed(self, listener: Callable[[list[Envelope]], None]) -> None:
        """Call `listener` with the events of every commit (domain metrics count them here)."""
        self._listeners.append(listener)

    def _committed(self, events: list[Envelope]) -> None:
        if any(envelope.topic == CREDENTIAL_CHANGED for envelope in events):
            self.credentials.clear()  # a key issued or revoked here counts from this answer on
        if self._relay is not None:
            self._relay.wake()
        for listener in self._listeners:
            listener(events)

    def processor(self, topic: str, handler: Handler) -> MessageProcessor:
        return MessageProcessor(
            f"{self.spec.name}.{topic}",
            handler,
            self.uow,
            max_attempts=self.settings.consumer_max_attempts,
            retry_base_seconds=self.settings.consumer_retry_base_seconds,
            on_retry=lambda: self.metrics.events_consumed.labels(topic, "retried").inc(),
        )

    async def start(self) -> None:
        await asyncio.to_thread(migrations.upgrade, self.spec.migrations, self.settings.database_url)
        self._engine = create_engine(self.settings.database_url)
        self._sessions = session_factory(self._engine)
        self._broker = kafka.build_broker(self.settings, self.metrics)
        processors = {
            topic: self.processor(topic, handler) for topic, handler in self.spec.subscriptions.items()
        }
        rewinder = Rewinder()
        kafka.bind_processors(
            self._broker, self.spec.name, processors, self.settings, self.metrics, self.uow, rewinder
        )
        outbox = SqlOutboxStore(self._engine, self.spec.tables, self.writer)
        self._epoch = BrokerEpoch(
            self.settings.kafka_bootstrap,
            ALL_TOPICS,
            self.settings.kafka_partitions,
            outbox.published_by_topic,
        )
        self._relay = OutboxRelay(
            outbox,
            lambda topic, key, payload: kafka.send(self._relay_producer(), topic, key, payload),
            batch_size=self.settings.outbox_batch_size,
            poll_seconds=self.settings.outbox_poll_seconds,
            min_round_seconds=self.settings.outbox_min_round_seconds,
            on_published=lambda topic: self.metrics.events_published.labels(topic).inc(),
            confirm=self._epoch.confirm,
        )
        # The broker forgot: the store is the record, so it is published again and re-read from the start.
        self._epoch.on_new_log(self._relay.replay)
        self._epoch.on_new_log(rewinder.new_log)
        self._tasks.append(asyncio.create_task(self._connect(), name="broker-connect"))
        self._relay_task = asyncio.create_task(self._relay.run(), name="outbox-relay")
        self._tasks.append(asyncio.create_task(self._watch_outbox(), name="outbox-gauges"))
        self._tasks.append(
            asyncio.create_task(self.revocations.run(self._engine, self.spec.tables), name="revocations")
        )
        self._tasks.append(asyncio.create_task(watch_readiness(self.ready, self.readiness), name="readiness"))
        self._tasks.append(
            asyncio.create_task(
                watch_broker(self._epoch.confirm, lambda: self.broker_connected),
                name="broker-watch",
            )
        )
        self._tasks.append(
            asyncio.create_task(
                watch_lag(
                    self.settings.kafka_bootstrap, self.spec.name, list(self.spec.subscriptions), self.metrics
                ),
                name="consumer-lag",
            )
        )
        for topic in self.spec.subscriptions:  # counters exist at 0 from the start, so a first increase shows
            self.metrics.dead_letters.labels(topic)
            for outcome in ("ok", "duplicate", "retried", "dead_lettered", "retry_later"):
                self.metrics.events_consumed.labels(topic, outcome)
        # What the process holds once started (modules, the app, compiled statements: hundreds of thousands
        # of objects) is out of the cyclic collector's sight until the service stops: each full collection
        # walked all of it, about 70 ms, several times per thousand events consumed (ADR 0105).
        gc.freeze()

    def _relay_producer(self) -> AIOKafkaProducer:
        if self._producer is None:  # the relay keeps its rows and tries again next round
            raise NotConnected("broker not connected yet")
        return self._producer

    async def _connect(self) -> None:
        """Connect to the broker, retrying: the service accepts work (into its outbox) meanwhile."""
        delay = 0.5
        while True:
            try:
                await kafka.ensure_topics(
                    self.settings.kafka_bootstrap, ALL_TOPICS, self.settings.kafka_partitions
                )
                # Learn which broker this is before consuming from it, so that a later restart shows.
                await self.epoch.confirm()
                await self.broker.start()
                self._producer = await kafka.start_producer(self.settings)
                self.broker_connected = True
                if self._relay is not None:
                    self._relay.resume()  # what was written meanwhile leaves now
                log.info("broker connected", extra={"bootstrap": self.settings.kafka_bootstrap})
                return
            except Exception as exc:
                log.warning("broker unavailable, retrying", extra={"error": str(exc)})
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def _watch_outbox(self) -> None:
        store = SqlOutboxStore(self.engine, self.spec.tables)
        while True:
            with contextlib.suppress(Exception):
                pending, oldest = await store.backlog()
                self.metrics.outbox_pending.set(pending)
                age = (SYSTEM_CLOCK.now() - oldest).total_seconds() if oldest else 0.0
                self.metrics.outbox_oldest_age.set(age)
            await asyncio.sleep(5)

    async def ready(self) -> dict[str, bool]:
        """Whether the store and the broker answer (the readiness probe)."""
        checks = {"database": False, "broker": False}
        with contextlib.suppress(Exception):
            async with reading(self.engine) as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = True
        with contextlib.suppress(Exception):
            checks["broker"] = self.broker_connected and await self.broker.ping(timeout=2.0)
        return checks

    async def stop(self) -> None:
        """Stop consuming (in-flight handlers finish), flush the outbox, then close broker and store."""
        if self._broker is not None and self.broker_connected:
            for subscriber in self._broker.subscribers:
                with contextlib.suppress(Exception):
                    await subscriber.stop()  # waits for the handler in flight; its offset is committed
        if self._relay is not None and self._relay_task is not None:
            # Let the round in flight finish and mark what it published: cancelling it mid-batch would
            # leave published rows unmarked, and the flush below would publish them a second time.
            self._relay.stop()
            try:
                await asyncio.wait_for(
                    asyncio.shield(self._relay_task), timeout=self.settings.shutdown_grace_seconds
                )
            except (TimeoutError, Exception):
                self._relay_task.cancel()
                await asyncio.gather(self._relay_task, return_exceptions=True)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._relay is not None and self.broker_connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._relay.drain(), timeout=self.settings.shutdown_grace_seconds)
        if self._epoch is not None:
            await self._epoch.close()
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
            self._producer = None
        if self._broker is not None:
            with contextlib.suppress(Exception):
                await self._broker.stop()
        if self._engine is not None:
            await self._engine.dispose()
        gc.unfreeze()  # what the service held can be collected again (a test process starts many)


@contextlib.asynccontextmanager
async def running(runtime: Runtime[S, C]) -> AsyncIterator[Runtime[S, C]]:
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()

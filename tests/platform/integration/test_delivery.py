"""Delivery guarantees on the real broker and real stores: once per event, retries, dead letters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faststream.kafka.message import KafkaAckableMessage
from sqlalchemy import Select, func, select
from sqlmodel import col

from dondoc.platform.app import ServiceApp, build_service_app
from dondoc.platform.runtime import Runtime, ServiceSpec
from dondoc.platform.uow import UnitOfWork
from services.notify import models as notify_models
from services.notify.settings import NotifySettings
from services.tasks.app import create_app as create_tasks
from services.tasks.models import PLATFORM as TASKS_TABLES
from services.tasks.models import Assignment
from services.tasks.settings import TasksSettings
from shared import topics
from shared.envelope import Envelope, wrap
from shared.events import TaskAssigned, Timeframe
from tests.support import eventually, publish_raw, read_topic, running
from tests.support.tasks import plan_event

pytestmark = pytest.mark.integration


def tasks_settings(broker: str, database_url: str) -> TasksSettings:
    return TasksSettings(kafka_bootstrap=broker, database_url=database_url, consumer_retry_base_seconds=0.01)


async def count(runtime: Runtime, query: Select[Any]) -> int:
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_an_event_on_the_broker_becomes_rows_and_events_of_the_consumer(
    broker: str, database_url: str
) -> None:
    app = create_tasks(tasks_settings(broker, database_url))
    event = plan_event(["11407.VP", "11407.KT", "11407.VHXH"], tasks=2)
    async with running(app):
        runtime: Runtime = app.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, event.to_bytes(), key=b"p")
        n = (
            select(func.count())
            .select_from(Assignment)
            .where(col(Assignment.plan_id) == event.data["plan_id"])
        )
        assert await eventually(lambda: count(runtime, n), what="assignments") == 6
    assigned = [
        e for e in await read_topic(broker, topics.TASK_ASSIGNED, expect=6) if e.causationid == event.id
    ]
    assert sorted(
        (e.payload(TaskAssigned).task_ref, e.payload(TaskAssigned).unit) for e in assigned
    ) == sorted((t, u) for t in ("1", "2") for u in ("11407.VP", "11407.KT", "11407.VHXH"))
    assert {e.correlationid for e in assigned} == {event.correlationid}


async def test_a_duplicate_delivery_has_one_effect(broker: str, database_url: str) -> None:
    app = create_tasks(tasks_settings(broker, database_url))
    event = plan_event(["11407.VP", "11407.KT"], tasks=1)
    async with running(app):
        runtime: Runtime = app.runtime
        for _ in range(3):
            await publish_raw(broker, topics.PLAN_RECEIVED, event.to_bytes(), key=b"same")
        duplicates = runtime.metrics.events_consumed.labels(topics.PLAN_RECEIVED, "duplicate")

        async def two_duplicates_seen() -> bool:
            return bool(duplicates._value.get() >= 2)

        await eventually(two_duplicates_seen, what="duplicates acknowledged")
        outbox = TASKS_TABLES.outbox
        assert await count(runtime, select(func.count()).select_from(Assignment)) == 2
        assert await count(runtime, select(func.count()).select_from(outbox)) == 2
    assert len(await read_topic(broker, topics.TASK_ASSIGNED, expect=2)) == 2


def failing_notify(broker: str, database_url: str, fail_subject: str) -> tuple[ServiceApp, list[str]]:
    seen: list[str] = []

    async def handler(uow: UnitOfWork, envelope: Envelope) -> None:
        seen.append(envelope.subject or "")
        if envelope.subject == fail_subject:
            raise RuntimeError("cannot handle this one")

    spec = ServiceSpec(
        "notify",
        notify_models.metadata,
        notify_models.PLATFORM,
        Path(notify_models.__file__).parent / "migrations",
        {topics.TASK_ASSIGNED: handler},
    )
    settings = NotifySettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        consumer_retry_base_seconds=0.01,
        consumer_max_attempts=3,
    )
    return build_service_app(spec, settings, None, title="probe"), seen


def assigned_event(subject: str) -> Envelope:
    event = TaskAssigned(
        assignment_id=subject,
        plan_id="p",
        plan_version=1,
        plan_title="Kế hoạch",
        task_ref="1",
        task_title="Nhiệm vụ",
        unit="11407",
        unit_name="UBND phường An Biên",
        role="chu_tri",
        timeframe=Timeframe(),
    )
    return wrap(event, source="test", correlation_id="c", subject=subject)


async def test_a_failing_handler_is_retried_then_dead_lettered_and_the_partition_keeps_flowing(
    broker: str, database_url: str
) -> None:
    app, seen = failing_notify(broker, database_url, fail_subject="poison")
    async with running(app):
        runtime: Runtime = app.runtime
        # same key → same partition: the good message sits behind the poison one
        await publish_raw(broker, topics.TASK_ASSIGNED, assigned_event("poison").to_bytes(), key=b"k")
        await publish_raw(broker, topics.TASK_ASSIGNED, assigned_event("good").to_bytes(), key=b"k")
        await publish_raw(broker, topics.TASK_ASSIGNED, b"{not json", key=b"k")
        dead = notify_models.PLATFORM.dead_letters
        await eventually(lambda: count(runtime, select(func.count()).select_from(dead)), what="dead letters")

        async def both_dead() -> bool:
            return await count(runtime, select(func.count()).select_from(dead)) == 2

        await eventually(both_dead, what="two dead letters")
        async with runtime.engine.connect() as conn:
            rows = (await conn.execute(select(dead.c.error, dead.c.attempts).order_by(dead.c.id))).all()
    assert seen.count("poison") == 3 and seen.count("good") == 1
    assert rows[0].attempts == 3 and "cannot handle this one" in rows[0].error
    assert rows[1].attempts == 1 and "unreadable" in rows[1].error
    letters = await read_topic(broker, topics.DEAD_LETTER, expect=2)
    assert {e.data["original_topic"] for e in letters} == {topics.TASK_ASSIGNED}


async def test_a_consumer_killed_between_database_commit_and_offset_commit_has_no_second_effect(
    broker: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = plan_event(["11407.VP"], tasks=3)
    original_ack = KafkaAckableMessage.ack

    async def lost_ack(self: KafkaAckableMessage) -> None:
        """The process dies here: the database has committed, the broker never hears the offset."""

    monkeypatch.setattr(KafkaAckableMessage, "ack", lost_ack)
    first = create_tasks(tasks_settings(broker, database_url))
    async with running(first):
        runtime: Runtime = first.runtime
        await publish_raw(broker, topics.PLAN_RECEIVED, event.to_bytes(), key=b"p")
        processed = select(func.count()).select_from(TASKS_TABLES.processed)
        await eventually(lambda: count(runtime, processed), what="the first commit")
    monkeypatch.setattr(KafkaAckableMessage, "ack", original_ack)

    second = create_tasks(tasks_settings(broker, database_url))
    async with running(second):
        runtime = second.runtime
        duplicates = runtime.metrics.events_consumed.labels(topics.PLAN_RECEIVED, "duplicate")

        async def redelivered() -> bool:
            return bool(duplicates._value.get() >= 1)

        await eventually(redelivered, what="the redelivery")
        assert await count(runtime, select(func.count()).select_from(Assignment)) == 3
        assert await count(runtime, select(func.count()).select_from(TASKS_TABLES.outbox)) == 3

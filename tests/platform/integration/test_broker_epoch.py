"""Noticing, on a real Tansu, a broker that restarted empty; and not noticing one that did not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import partial
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from dondoc.platform import processes
from dondoc.platform.epoch import BrokerEpoch
from dondoc.platform.kafka import ensure_topics
from shared.topics import ALL_TOPICS
from tests.support.sockets import ESTABLISHED, ipv4_sockets, socket_inodes

pytestmark = pytest.mark.integration


@pytest.fixture
def tansu(tmp_path: Path) -> Iterator[processes.Broker]:
    running = processes.start_broker(processes.free_port(), tmp_path / "broker.log")
    yield running
    running.stop()


def published(counts: Mapping[str, int]) -> Callable[[], Awaitable[Mapping[str, int]]]:
    async def by_topic() -> Mapping[str, int]:
        return counts

    return by_topic


async def topics_on(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_restart_empty_is_noticed_once_and_the_topics_are_back(
    tansu: processes.Broker, tmp_path: Path
) -> None:
    epochs = [BrokerEpoch(tansu.bootstrap, ALL_TOPICS, 3, published({})) for _ in range(2)]
    told: list[int] = []
    for i, epoch in enumerate(epochs):
        epoch.on_new_log(partial(told.append, i))
    try:
        assert [await e.confirm() for e in epochs] == [True, True]
        assert [await e.confirm() for e in epochs] == [True, True] and told == []
        port = int(tansu.bootstrap.rsplit(":", 1)[1])
        tansu.process.kill()
        tansu.process.wait()
        with pytest.raises(Exception):  # noqa: B017 - whatever aiokafka raises for a broker that is gone
            await epochs[0].confirm()
        tansu.process = processes.start_broker(port, tmp_path / "broker-2.log").process
        assert [await e.confirm() for e in epochs] == [False, False] and sorted(told) == [0, 1]
        assert set(ALL_TOPICS) <= await topics_on(tansu.bootstrap)
        assert [await e.confirm() for e in epochs] == [True, True] and len(told) == 2
    finally:
        for epoch in epochs:
            await epoch.close()


async def test_a_service_that_was_down_while_the_broker_forgot_notices_it_on_its_first_look(
    tansu: processes.Broker,
) -> None:
    await ensure_topics(tansu.bootstrap, ALL_TOPICS, partitions=3)
    producer = AIOKafkaProducer(bootstrap_servers=tansu.bootstrap)
    await producer.start()
    try:
        for key in (b"p1", b"p2"):
            await producer.send_and_wait("plan.received", b"{}", key=key)
    finally:
        await producer.stop()
    holds_all = BrokerEpoch(tansu.bootstrap, ALL_TOPICS, 3, published({"plan.received": 2}))
    lost_some = BrokerEpoch(tansu.bootstrap, ALL_TOPICS, 3, published({"plan.received": 3}))
    try:
        assert await holds_all.confirm()  # it published two, and the broker holds them
        assert not await lost_some.confirm()  # it published three; the broker holds two
        assert await lost_some.confirm()
    finally:
        await holds_all.close()
        await lost_some.close()


def connections_to(port: int) -> int:
    """This process's established TCP connections to `port` on loopback (read from /proc, as `ss` would)."""
    mine = socket_inodes()
    return sum(s.remote_port == port and s.state == ESTABLISHED and s.inode in mine for s in ipv4_sockets())


async def test_a_closed_epoch_leaves_no_connection_to_the_broker(tansu: processes.Broker) -> None:
    """Its first look writes the marker, dropping the probe that found none: aiokafka's stop() can end
    before closing that probe's client, whose connection then outlived it (and held a stopping broker up)."""
    port = int(tansu.bootstrap.rsplit(":", 1)[1])
    epoch = BrokerEpoch(tansu.bootstrap, ALL_TOPICS, 3, published({}))
    assert await epoch.confirm()
    assert connections_to(port) >= 1  # the probe, kept for the next look
    await epoch.close()
    assert connections_to(port) == 0

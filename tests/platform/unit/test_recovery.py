"""Recovering from a broker that forgot: noticing it, and reading every partition again from the start."""

from __future__ import annotations

from typing import Any, cast

from aiokafka import TopicPartition
from aiokafka.errors import IllegalStateError

from dondoc.platform.epoch import shortfall
from dondoc.platform.recovery import Rewinder

A, B, C = (TopicPartition("task.assigned", p) for p in range(3))


class FakeConsumer:
    """Positions per assigned partition, as aiokafka keeps them; seek refuses a partition not assigned."""

    def __init__(self, positions: dict[TopicPartition, int]) -> None:
        self.positions = dict(positions)

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    def seek(self, partition: TopicPartition, offset: int) -> None:
        if partition not in self.positions:
            raise IllegalStateError("not assigned")
        self.positions[partition] = offset


def rewinder_on(consumer: FakeConsumer) -> Rewinder:
    rewinder = Rewinder()
    rewinder.consumer = lambda: cast(Any, consumer)  # the fake stands in for aiokafka's consumer
    return rewinder


async def test_a_broker_that_never_forgets_is_never_rewound() -> None:
    consumer = FakeConsumer({A: 7, B: 3})
    rewinder = rewinder_on(consumer)
    await rewinder.on_partitions_revoked({A, B})
    await rewinder.on_partitions_assigned({A, B})
    rewinder.sought_back(A)
    assert consumer.positions == {A: 7, B: 3}


async def test_a_new_log_rewinds_what_is_assigned_now_and_what_is_assigned_later() -> None:
    consumer = FakeConsumer({A: 7, B: 3})
    rewinder = rewinder_on(consumer)
    rewinder.new_log()
    assert consumer.positions == {A: 0, B: 0}
    consumer.positions[C] = 5  # a rebalance hands over one more partition, with a stale group offset
    await rewinder.on_partitions_assigned({C})
    assert consumer.positions[C] == 0


async def test_a_rebalance_before_the_rewound_position_is_committed_rewinds_again() -> None:
    consumer = FakeConsumer({A: 7})
    rewinder = rewinder_on(consumer)
    rewinder.new_log()
    await rewinder.on_partitions_revoked({A})
    consumer.positions[A] = 6  # the stale offset committed into the new broker before the restart showed
    await rewinder.on_partitions_assigned({A})
    assert consumer.positions[A] == 0


async def test_once_committed_a_partition_follows_the_group_offset_again() -> None:
    consumer = FakeConsumer({A: 7})
    rewinder = rewinder_on(consumer)
    rewinder.new_log()
    consumer.positions[A] = 2  # read 0 and 1 of the new log
    rewinder.committed()
    await rewinder.on_partitions_revoked({A})
    await rewinder.on_partitions_assigned({A})
    rewinder.sought_back(A)  # a message handed back after the commit goes back to itself, not to 0
    assert consumer.positions[A] == 2


async def test_handing_back_a_message_fetched_before_the_rewind_does_not_undo_it() -> None:
    consumer = FakeConsumer({A: 7})
    rewinder = rewinder_on(consumer)
    rewinder.new_log()
    consumer.positions[A] = 6  # nack of the message at 6, fetched from the old position
    rewinder.sought_back(A)
    assert consumer.positions[A] == 0


def test_a_log_holding_at_least_what_this_service_published_lost_nothing() -> None:
    assert shortfall({"plan.received": 3}, {"plan.received": 3, "task.assigned": 9}) == []
    assert shortfall({}, {}) == []


def test_a_log_holding_less_than_this_service_published_has_forgotten() -> None:
    published = {"plan.received": 3, "dondoc.dlq": 1}
    assert shortfall(published, {"plan.received": 1}) == ["dondoc.dlq", "plan.received"]

"""Noticing a broker that came back empty: a partition's log going backwards."""

from __future__ import annotations

from aiokafka import TopicPartition

from dondoc.platform.recovery import went_backwards

A, B = TopicPartition("plan.received", 0), TopicPartition("plan.received", 1)


def test_a_growing_log_is_not_a_restart() -> None:
    seen: dict[TopicPartition, int] = {}
    assert not went_backwards(seen, {A: 0, B: 0})
    assert not went_backwards(seen, {A: 3, B: 1})
    assert not went_backwards(seen, {A: 3, B: 2})


def test_a_log_that_starts_over_is_a_restart_and_is_then_followed_afresh() -> None:
    seen: dict[TopicPartition, int] = {}
    went_backwards(seen, {A: 5, B: 2})
    assert went_backwards(seen, {A: 1, B: 2})
    assert not went_backwards(seen, {A: 2, B: 3})


def test_a_partition_that_vanished_counts_as_starting_over() -> None:
    seen: dict[TopicPartition, int] = {}
    went_backwards(seen, {A: 4})
    assert went_backwards(seen, {})


def test_an_empty_log_that_vanished_lost_nothing() -> None:
    seen: dict[TopicPartition, int] = {}
    went_backwards(seen, {A: 0})
    assert not went_backwards(seen, {})

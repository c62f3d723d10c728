"""Stopping a consumer never ends the task that stops it, unless that task itself is being cancelled."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from dondoc.platform.kafka import stop_quietly


class Consumer:
    """A stand-in whose stop() fails the way aiokafka's can."""

    def __init__(self, error: BaseException | None = None, delay: float = 0.0) -> None:
        self.error, self.delay, self.stopped = error, delay, False

    async def stop(self) -> None:
        await asyncio.sleep(self.delay)
        self.stopped = True
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize("error", [asyncio.CancelledError(), RuntimeError("broker gone"), None])
async def test_a_failing_stop_does_not_end_the_caller(error: BaseException | None) -> None:
    consumer = Consumer(error)
    await stop_quietly(cast(Any, consumer))
    assert consumer.stopped


async def test_a_caller_being_cancelled_is_still_cancelled() -> None:
    task = asyncio.create_task(stop_quietly(cast(Any, Consumer(delay=5.0))))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

"""Periodic work: a service declares its jobs, the platform runs each in the one loop written here.

A job is a round of work (`run`) repeated every `every` seconds, from the service's start until its stop.
The loop is the same for every job: a round that fails is logged and counted, and the next round comes
anyway (the store may be away for a while); each round's duration, and every run and failure, is counted
on the service's registry under the job's name; on shutdown the round in flight may finish (within the
shutdown grace) before the loop is cancelled, so a round is never cut between its send and its record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from dondoc.platform.metrics import ServiceMetrics

log = logging.getLogger(__name__)

R = TypeVar("R")


@dataclass(frozen=True)
class Job(Generic[R]):
    """One kind of periodic work, run against `R` (the service's running runtime)."""

    name: str
    every: float  # seconds from the end of one round to the start of the next
    run: Callable[[R], Awaitable[object]]
    enabled: bool = True  # False: never run by itself (an operator may still run a round)
    wait_first: bool = False  # True: the first round comes one interval after the start, not at once
    # Before the first round and after the last one, whether or not the job is enabled (gauges, clients).
    on_start: Callable[[R], Awaitable[None]] | None = None
    on_stop: Callable[[R], Awaitable[None]] | None = None


class JobRunner(Generic[R]):
    """Runs a service's jobs from its start to its stop; one per running runtime."""

    def __init__(self, jobs: Sequence[Job[R]], target: R, metrics: ServiceMetrics, grace: float) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")
        self._jobs = {job.name: job for job in jobs}
        self._target = target
        self._metrics = metrics
        self._grace = grace
        self._stopping = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        for name in self._jobs:  # the series exist at 0 from the start, so a first failure shows
            metrics.job_runs.labels(name)
            metrics.job_failures.labels(name)

    async def start(self) -> None:
        """Each job's `on_start`, then its loop when enabled."""
        self._stopping = asyncio.Event()
        for job in self._jobs.values():
            if job.on_start is not None:
                try:
                    await job.on_start(self._target)
                except Exception:  # a gauge left unfilled must not keep the service from starting
                    log.exception("job start failed", extra={"job": job.name})
            if job.enabled:
                self._loops.append(asyncio.create_task(self._loop(job), name=f"job-{job.name}"))

    async def run_now(self, name: str) -> object:
        """One round of `name` now (an operator's request), counted like the loop's; its error is raised."""
        return await self._round(self._jobs[name], reraise=True)

    async def stop(self) -> None:
        """Let the rounds in flight finish (within the grace), stop the loops, then each job's `on_stop`."""
        self._stopping.set()
        if self._loops:
            _done, pending = await asyncio.wait(self._loops, timeout=self._grace)
            for loop in pending:
                log.warning("job round cut short at shutdown", extra={"job": loop.get_name()})
                loop.cancel()
            await asyncio.gather(*self._loops, return_exceptions=True)
            self._loops.clear()
        for job in self._jobs.values():
            if job.on_stop is not None:
                with contextlib.suppress(Exception):
                    await job.on_stop(self._target)

    async def _loop(self, job: Job[R]) -> None:
        if job.wait_first and await self._stopped_within(job.every):
            return
        while not self._stopping.is_set():
            await self._round(job, reraise=False)
            if await self._stopped_within(job.every):
                return

    async def _round(self, job: Job[R], *, reraise: bool) -> object:
        self._metrics.job_runs.labels(job.name).inc()
        started = time.perf_counter()
        try:
            return await job.run(self._target)
        except Exception:
            self._metrics.job_failures.labels(job.name).inc()
            if reraise:
                raise
            log.exception("job round failed; the next round will try again", extra={"job": job.name})
            return None
        finally:
            self._metrics.job_duration.labels(job.name).observe(time.perf_counter() - started)

    async def _stopped_within(self, seconds: float) -> bool:
        """Wait `seconds`, or less if the service stops meanwhile; whether it is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()

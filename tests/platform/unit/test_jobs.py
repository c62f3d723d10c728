"""The platform's one loop for periodic work: rounds repeat, failures are counted and survived."""

from __future__ import annotations

import asyncio
import logging

import pytest

from dondoc.platform.jobs import Job, JobRunner
from dondoc.platform.metrics import ServiceMetrics

PATIENCE = 20.0  # a guard against hanging, never a measure of speed


def sample(metrics: ServiceMetrics, name: str, job: str) -> float:
    return metrics.registry.get_sample_value(name, {"name": job}) or 0.0


class Rounds:
    """A job body that records its rounds and fails the ones asked to."""

    def __init__(self, fail: set[int] | None = None, until: int = 3) -> None:
        self.count = 0
        self.fail = fail or set()
        self.until = until
        self.reached = asyncio.Event()
        self.log: list[str] = []

    async def __call__(self, target: str) -> int:
        self.count += 1
        self.log.append(f"round {self.count} on {target}")
        if self.count >= self.until:
            self.reached.set()
        if self.count in self.fail:
            raise RuntimeError(f"round {self.count} broke")
        return self.count

    async def started(self, target: str) -> None:
        self.log.append(f"start {target}")

    async def stopped(self, target: str) -> None:
        self.log.append(f"stop {target}")


async def test_rounds_repeat_and_a_failed_round_is_counted_logged_and_survived(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics, rounds = ServiceMetrics("probe", "0", "x"), Rounds(fail={2}, until=3)
    runner = JobRunner([Job("probe-job", 0.01, rounds)], "svc", metrics, grace=5)
    with caplog.at_level(logging.ERROR, logger="dondoc.platform.jobs"):
        await runner.start()
        await asyncio.wait_for(rounds.reached.wait(), PATIENCE)
        await runner.stop()
    assert rounds.count >= 3  # the failure of round 2 did not end the loop
    assert sample(metrics, "dondoc_job_runs_total", "probe-job") == rounds.count
    assert sample(metrics, "dondoc_job_failures_total", "probe-job") == 1
    assert sample(metrics, "dondoc_job_duration_seconds_count", "probe-job") == rounds.count
    failures = [r for r in caplog.records if getattr(r, "job", None) == "probe-job"]
    assert len(failures) == 1 and "round 2 broke" in (failures[0].exc_text or "")


async def test_a_job_waiting_its_first_interval_never_runs_when_stopped_before() -> None:
    metrics, rounds = ServiceMetrics("probe", "0", "x"), Rounds()
    job = Job("patient", 3600, rounds, wait_first=True, on_start=rounds.started, on_stop=rounds.stopped)
    runner = JobRunner([job], "svc", metrics, grace=5)
    await runner.start()
    await runner.stop()
    assert rounds.log == ["start svc", "stop svc"]
    assert sample(metrics, "dondoc_job_runs_total", "patient") == 0  # the series exists, at 0


async def test_stop_lets_the_round_in_flight_finish_then_closes() -> None:
    metrics, log = ServiceMetrics("probe", "0", "x"), []
    inside, release = asyncio.Event(), asyncio.Event()

    async def slow(target: str) -> None:
        inside.set()
        await release.wait()
        log.append("round recorded")

    async def closed(target: str) -> None:
        log.append("closed")

    runner = JobRunner([Job("slow", 0.01, slow, on_stop=closed)], "svc", metrics, grace=PATIENCE)
    await runner.start()
    await asyncio.wait_for(inside.wait(), PATIENCE)
    stopping = asyncio.create_task(runner.stop())
    await asyncio.sleep(0)
    assert not stopping.done()  # waits for the round, not cutting it between its send and its record
    release.set()
    await asyncio.wait_for(stopping, PATIENCE)
    assert log == ["round recorded", "closed"]


async def test_a_round_longer_than_the_grace_is_cut_at_shutdown() -> None:
    metrics, inside = ServiceMetrics("probe", "0", "x"), asyncio.Event()
    cut: list[bool] = []

    async def endless(target: str) -> None:
        inside.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cut.append(True)
            raise

    runner = JobRunner([Job("endless", 0.01, endless)], "svc", metrics, grace=0.01)
    await runner.start()
    await asyncio.wait_for(inside.wait(), PATIENCE)
    await asyncio.wait_for(runner.stop(), PATIENCE)
    assert cut == [True]


async def test_a_disabled_job_runs_only_when_asked_and_its_answer_and_error_come_back() -> None:
    metrics, rounds = ServiceMetrics("probe", "0", "x"), Rounds(fail={2})
    job = Job("on-demand", 0.01, rounds, enabled=False, on_start=rounds.started)
    runner = JobRunner([job], "svc", metrics, grace=5)
    await runner.start()
    assert await runner.run_now("on-demand") == 1
    with pytest.raises(RuntimeError, match="round 2 broke"):
        await runner.run_now("on-demand")
    await runner.stop()
    assert rounds.log == ["start svc", "round 1 on svc", "round 2 on svc"]
    assert sample(metrics, "dondoc_job_runs_total", "on-demand") == 2
    assert sample(metrics, "dondoc_job_failures_total", "on-demand") == 1


def test_job_names_are_unique() -> None:
    rounds = Rounds()
    with pytest.raises(ValueError, match="unique"):
        JobRunner([Job("twice", 1, rounds), Job("twice", 2, rounds)], "svc", ServiceMetrics("p", "0", "x"), 1)

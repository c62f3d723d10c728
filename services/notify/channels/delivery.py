"""Drive one channel send through the retry policy, in process (sleep injected for tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.notify.domain.retry import DeliveryResult, RandomSource, RetryDecision, RetryPolicy, decide

Send = Callable[[], Awaitable[DeliveryResult]]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt as the store records it: its number, its result, and what was decided next."""

    number: int
    result: DeliveryResult
    decision: RetryDecision


@dataclass(frozen=True, slots=True)
class DeliveryRun:
    """All attempts of one delivery; the last decision is "done" or "dead_letter"."""

    attempts: tuple[Attempt, ...]

    @property
    def delivered(self) -> bool:
        """True when the last attempt was accepted."""
        return self.attempts[-1].result.ok

    @property
    def final(self) -> DeliveryResult:
        """The last attempt's result."""
        return self.attempts[-1].result


async def deliver_with_retry(
    send: Send,
    policy: RetryPolicy,
    rand: RandomSource,
    *,
    sleep: Sleep = asyncio.sleep,
    on_attempt: Callable[[Attempt], Awaitable[None]] | None = None,
) -> DeliveryRun:
    """Call `send` until it succeeds, fails permanently, or the policy's attempts run out.

    `send` is called afresh each time so it can re-sign with the current time. Long waits
    belong in the store (schedule `next_attempt_at`), not here; this suits short retries.
    """
    attempts: list[Attempt] = []
    while True:
        result = await send()
        decision = decide(result, len(attempts) + 1, policy, rand)
        attempt = Attempt(len(attempts) + 1, result, decision)
        attempts.append(attempt)
        if on_attempt is not None:
            await on_attempt(attempt)
        if decision.action != "retry":
            return DeliveryRun(tuple(attempts))
        await sleep(decision.delay.total_seconds())

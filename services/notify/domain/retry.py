"""Delivery outcomes and the retry policy: exponential backoff with full jitter, honouring Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Literal

RandomSource = Callable[[], float]
"""Returns a float in [0, 1), like `random.Random(seed).random`; injected so tests are deterministic."""

# 408 and 429 are 4xx but say "not now" rather than "never": the same request may succeed later.
_TRANSIENT_4XX = frozenset({408, 425, 429})


class Outcome(StrEnum):
    """How one delivery attempt ended."""

    SUCCESS = "success"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """One attempt's outcome with a technical detail for the delivery log (status line, SMTP reply)."""

    outcome: Outcome
    detail: str
    status: int | None = None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        """True when the receiver accepted the notification."""
        return self.outcome is Outcome.SUCCESS


def classify_http_status(status: int) -> Outcome:
    """2xx succeeded; 5xx, 408, 425, 429 may succeed later; anything else (other 4xx, 3xx) never will."""
    if 200 <= status < 300:
        return Outcome.SUCCESS
    if status >= 500 or status in _TRANSIENT_4XX:
        return Outcome.TRANSIENT
    return Outcome.PERMANENT


def classify_smtp_code(code: int) -> Outcome:
    """SMTP replies (RFC 5321): 2xx accepted, 4xx temporary failure, 5xx (and anything odd) permanent."""
    if 200 <= code < 300:
        return Outcome.SUCCESS
    if 400 <= code < 500:
        return Outcome.TRANSIENT
    return Outcome.PERMANENT


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Read a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait between attempts and when to give up."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 8
    # A receiver's Retry-After is honoured, but it cannot park a notification for days.
    max_retry_after: timedelta = timedelta(hours=6)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base <= timedelta(0) or self.cap < self.base:
            raise ValueError("need 0 < base <= cap")

    def ceiling(self, attempts_made: int) -> timedelta:
        """The backoff ceiling after `attempts_made` attempts: min(cap, base * 2 ** (attempts_made - 1))."""
        exponent = min(max(attempts_made - 1, 0), 62)  # bounded so the float never overflows
        return timedelta(seconds=min(self.cap.total_seconds(), self.base.total_seconds() * 2.0**exponent))


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """What to do after an attempt: stop (done), try again after `delay`, or dead-letter."""

    action: Literal["done", "retry", "dead_letter"]
    delay: timedelta = timedelta(0)


def backoff_delay(policy: RetryPolicy, attempts_made: int, rand: RandomSource) -> timedelta:
    """Full jitter (AWS architecture blog): a uniform draw in [0, ceiling) spreads retries of many senders."""
    return policy.ceiling(attempts_made) * rand()


def decide(
    result: DeliveryResult, attempts_made: int, policy: RetryPolicy, rand: RandomSource
) -> RetryDecision:
    """Decide the next step after `attempts_made` attempts, the last of which produced `result`."""
    if result.outcome is Outcome.SUCCESS:
        return RetryDecision("done")
    if result.outcome is Outcome.PERMANENT or attempts_made >= policy.max_attempts:
        return RetryDecision("dead_letter")
    delay = backoff_delay(policy, attempts_made, rand)
    if result.retry_after is not None:
        delay = max(delay, min(result.retry_after, policy.max_retry_after))
    return RetryDecision("retry", delay)

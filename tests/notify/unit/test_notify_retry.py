"""Which failures are retried, how long to wait, and when to give up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.retry import (
    DeliveryResult,
    Outcome,
    RetryPolicy,
    classify_http_status,
    classify_smtp_code,
    decide,
    parse_retry_after,
)

NOW = datetime(2026, 10, 21, 7, 27, 0, tzinfo=UTC)
POLICY = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=60), max_attempts=5)


def _transient(retry_after: timedelta | None = None) -> DeliveryResult:
    return DeliveryResult(Outcome.TRANSIENT, "HTTP 503", status=503, retry_after=retry_after)


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_reply_is_a_delivery(status: int) -> None:
    assert classify_http_status(status) is Outcome.SUCCESS


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
def test_server_errors_timeouts_and_throttling_are_worth_retrying(status: int) -> None:
    assert classify_http_status(status) is Outcome.TRANSIENT


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 413, 422, 301, 302])
def test_other_client_errors_and_redirects_will_never_succeed(status: int) -> None:
    assert classify_http_status(status) is Outcome.PERMANENT


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (250, Outcome.SUCCESS),
        (421, Outcome.TRANSIENT),
        (450, Outcome.TRANSIENT),
        (452, Outcome.TRANSIENT),
        (550, Outcome.PERMANENT),
        (553, Outcome.PERMANENT),
        (554, Outcome.PERMANENT),
    ],
)
def test_smtp_4xx_replies_are_temporary_and_5xx_replies_final(code: int, outcome: Outcome) -> None:
    assert classify_smtp_code(code) is outcome


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after(" 0 ", NOW) == timedelta(0)


def test_retry_after_as_an_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", NOW) == timedelta(seconds=60)


def test_retry_after_in_the_past_means_now() -> None:
    assert parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", NOW) == timedelta(0)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Someday, 99 Foo 20xx"])
def test_an_absent_or_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


def test_a_delivery_is_done_and_a_permanent_failure_is_dead_lettered_at_once() -> None:
    rand = random.Random(1).random
    assert decide(DeliveryResult(Outcome.SUCCESS, "ok", 200), 1, POLICY, rand).action == "done"
    assert decide(DeliveryResult(Outcome.PERMANENT, "404", 404), 1, POLICY, rand).action == "dead_letter"


def test_a_transient_failure_is_retried_until_the_attempts_run_out() -> None:
    rand = random.Random(2).random
    actions = [decide(_transient(), n, POLICY, rand).action for n in range(1, 6)]
    assert actions == ["retry", "retry", "retry", "retry", "dead_letter"]


def test_full_jitter_stays_below_the_doubling_ceiling_and_spreads_across_it() -> None:
    rand = random.Random(20260302).random
    ceilings = [1, 2, 4, 8, 16, 32, 60, 60, 60]  # base 1 s doubling, capped at 60 s
    many = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=60), max_attempts=100)
    for attempt, ceiling in enumerate(ceilings, start=1):
        delays = [decide(_transient(), attempt, many, rand).delay.total_seconds() for _ in range(300)]
        assert all(0 <= d < ceiling for d in delays)
        assert max(delays) > 0.9 * ceiling
        assert min(delays) < 0.1 * ceiling


def test_the_same_seed_gives_the_same_delays() -> None:
    first = [decide(_transient(), n, POLICY, random.Random(9).random).delay for n in range(1, 5)]
    again = [decide(_transient(), n, POLICY, random.Random(9).random).delay for n in range(1, 5)]
    assert first == again


def test_the_extreme_draws_give_zero_and_nearly_the_ceiling() -> None:
    assert decide(_transient(), 3, POLICY, lambda: 0.0).delay == timedelta(0)
    assert decide(_transient(), 3, POLICY, lambda: 0.999).delay == timedelta(seconds=4 * 0.999)


def test_a_receivers_retry_after_is_waited_at_least() -> None:
    decision = decide(_transient(timedelta(seconds=120)), 1, POLICY, lambda: 0.5)
    assert decision.action == "retry"
    assert decision.delay == timedelta(seconds=120)


def test_a_retry_after_shorter_than_the_backoff_does_not_shorten_it() -> None:
    decision = decide(_transient(timedelta(seconds=1)), 4, POLICY, lambda: 0.5)
    assert decision.delay == timedelta(seconds=4)


def test_a_retry_after_of_days_is_bounded_by_the_policy() -> None:
    decision = decide(_transient(timedelta(days=3)), 1, POLICY, lambda: 0.5)
    assert decision.delay == timedelta(hours=6)


def test_a_huge_attempt_number_does_not_overflow() -> None:
    many = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=60), max_attempts=10_000)
    assert decide(_transient(), 5_000, many, lambda: 0.5).delay == timedelta(seconds=30)


def test_a_policy_must_make_sense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=5))

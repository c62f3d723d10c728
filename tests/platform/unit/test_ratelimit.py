"""Per-unit rate limits: a burst is served, a flood waits, and one ward never uses up another's share."""

from __future__ import annotations

from dondoc.platform.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_served_then_a_flood_is_told_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=5, clock=clock)
    assert [limiter.acquire("11407") for _ in range(5)] == [0.0] * 5
    wait = limiter.acquire("11407")
    assert 0.9 <= wait <= 1.0  # one token a second


def test_tokens_come_back_with_time() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    limiter.acquire("u"), limiter.acquire("u")
    assert limiter.acquire("u") > 0
    clock.now += 1.0
    assert limiter.acquire("u") == 0.0


def test_one_wards_flood_does_not_touch_another_wards_share() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    for _ in range(50):
        limiter.acquire("10507")
    assert limiter.acquire("11407") == 0.0

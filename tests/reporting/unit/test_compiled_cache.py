"""The dashboard's cache compiles a plan once per state of the store, even when views ask at the same time."""

from __future__ import annotations

import asyncio

import pytest

from services.reporting.web.cache import CompiledCache


async def test_views_asking_during_a_compile_wait_for_it_rather_than_compile_again() -> None:
    cache: CompiledCache[str] = CompiledCache()
    release = asyncio.Event()
    calls: list[str] = []

    async def compile_() -> str:
        calls.append("compiled")
        await release.wait()
        return "submission"

    first = asyncio.create_task(cache.get("plan", 1, compile_))
    await asyncio.sleep(0)  # the first compile is under way
    others = [asyncio.create_task(cache.get("plan", 1, compile_)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(first, *others) == ["submission"] * 4
    assert calls == ["compiled"] and cache.compiles == 1
    assert await cache.get("plan", 1, compile_) == "submission" and cache.compiles == 1


async def test_a_failed_compile_is_not_kept_and_a_waiting_view_compiles_for_itself() -> None:
    cache: CompiledCache[str] = CompiledCache()
    release = asyncio.Event()

    async def failing() -> str:
        await release.wait()
        raise RuntimeError("the store went away")

    async def working() -> str:
        return "submission"

    first = asyncio.create_task(cache.get("plan", 1, failing))
    await asyncio.sleep(0)
    waiting = asyncio.create_task(cache.get("plan", 1, working))
    await asyncio.sleep(0)
    release.set()
    with pytest.raises(RuntimeError):
        await first
    assert await waiting == "submission"
    assert "plan" in cache and cache.compiles == 2


async def test_only_the_last_entries_are_kept() -> None:
    cache: CompiledCache[int] = CompiledCache(size=2)

    async def compile_() -> int:
        return 7

    for n in range(3):
        await cache.get(n, "state", compile_)
    assert 0 not in cache and 1 in cache and 2 in cache


async def test_a_view_keeps_only_its_latest_state() -> None:
    cache: CompiledCache[int] = CompiledCache()
    for state in (1, 2, 3):

        async def compile_(state: int = state) -> int:
            return state * 10

        assert await cache.get("plan", state, compile_) == state * 10
    assert len(cache) == 1 and cache.compiles == 3
    assert await cache.get("plan", 3, compile_) == 30 and cache.compiles == 3

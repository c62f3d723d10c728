"""The dashboard keeps compiled plans between views, and never shows one that is out of date.

The store (SQLite, and PostgreSQL where it runs) is fed through the projections, as the consumer would,
inbox record included; no broker is needed for pages, so the app runs without one.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

import httpx
import pytest

from dondoc.kernel.clock import ShiftedClock
from dondoc.platform.app import ServiceApp
from services.reporting.app import create_app
from services.reporting.web import warm
from services.reporting.web.routes import compiled_cache
from shared.events import (
    ReportDue,
)
from tests.support.reporting.small_plan import (
    AUTH,
    assigned,
    consume,
    result,
    sign_in,
    small_plan,
    store_only,
)

pytestmark = pytest.mark.integration


def _not_reported(page: str) -> int:
    found = re.search(r'data-figure="not-reported"[^>]*>([\d.]+)<', page)
    assert found, "the page shows no not-reported figure"
    return int(found.group(1))


async def test_a_new_result_and_a_review_show_on_the_next_view(database_url: str) -> None:
    settings = store_only(
        database_url,
        dashboard_warm_seconds=0,  # views alone compile here (the warmer's own test is below)
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    plan = small_plan()
    async with app.router.lifespan_context(app):
        await consume(app, [plan, assigned("11407"), assigned("11411")])
        transport = httpx.ASGITransport(app=app)
        # Over HTTPS, as in production: the session cookie is Secure by default.
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as client:
            signed = await sign_in(client, "https://test")
            assert signed.status_code == 303
            assert "secure" in signed.headers["set-cookie"].lower().split("; ")
            cookies = dict(client.cookies)

            async def shown() -> int:
                answer = await client.get("/dashboard/plans/p", params={"period": "all"})
                assert answer.status_code == 200
                return _not_reported(answer.text)

            assert await shown() == 2
            assert await shown() == 2  # the same view again, from the cache
            await consume(app, [result("11407")])
            assert await shown() == 1  # an event consumed since: compiled anew
            review = {
                "kind": "result",
                "item_id": "r-11407",
                "version": 1,
                "decision": "returned",
                "note": "Sai số.",
            }
            assert (await client.post("/reviews", headers=AUTH, json=review)).status_code == 201
            assert await shown() == 2  # returned for correction: it no longer counts
    cached = compiled_cache(app)
    assert cached.compiles == 3  # one compile per state of the store, none for the repeated view
    assert len(cached) == 1  # and the view's earlier states are not kept

    # The administrator's token is rotated (the service restarted with another one): sessions opened with
    # the old token end, while the old token's holder could otherwise keep browsing until the cookie expires.
    rotated = create_app(settings.model_copy(update={"dondoc_admin_token": "another-admin-token-9876543210"}))
    async with rotated.router.lifespan_context(rotated):
        transport = httpx.ASGITransport(app=rotated)
        async with httpx.AsyncClient(transport=transport, base_url="https://test", cookies=cookies) as client:
            answer = await client.get("/dashboard/plans/p")
            assert answer.status_code == 303 and answer.headers["location"].startswith("/dashboard/login")


async def test_another_period_at_the_same_state_reads_nothing_again_and_a_change_is_still_shown(
    database_url: str,
) -> None:
    settings = store_only(
        database_url,
        dashboard_warm_seconds=0,  # views alone compile here
        dashboard_secure_cookie=False,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    plan = small_plan()
    owed = [
        ReportDue(
            obligation_id="ob",
            unit=unit,
            period_id="2026-Q2",
            window_start=date(2026, 4, 1),
            window_end=date(2026, 6, 30),
            deadline=date(2026, 7, 5),
            plan_id="p",
        )
        for unit in ("11407", "11411")
    ]
    async with app.router.lifespan_context(app):
        await consume(app, [plan, assigned("11407"), assigned("11411"), *owed])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            signed = await sign_in(client, "http://test")
            assert signed.status_code == 303

            async def shown(period: str) -> int:
                answer = await client.get("/dashboard/plans/p", params={"period": period})
                assert answer.status_code == 200
                return _not_reported(answer.text)

            kept = compiled_cache(app)
            assert (await shown("2026-Q2"), await shown("all")) == (2, 2)
            assert (kept.compiles, kept.reused) == (2, 1)  # two compiles, the plan read once
            await consume(app, [result("11407")])
            assert await shown("2026-Q2") == 1  # a new state: read again
            assert await shown("all") == 1  # what the Q2 view read at this state, not the earlier one
            assert (kept.compiles, kept.reused) == (4, 2)


async def _warmed(app: ServiceApp[Any, Any]) -> None:
    """Wait (bounded) until the warmer has compiled the store as it stands now."""
    for _ in range(600):
        if compiled_cache(app).warmed == await warm.stamp(app.runtime):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the warmer never compiled the store's latest state")


async def test_the_warmer_compiles_after_a_change_so_a_first_view_compiles_nothing(database_url: str) -> None:
    settings = store_only(
        database_url,
        dashboard_warm_seconds=0.05,
        dashboard_secure_cookie=False,
    )
    app = create_app(settings, clock=ShiftedClock.on(date(2026, 6, 20)))
    plan = small_plan()
    async with app.router.lifespan_context(app):
        await consume(app, [plan, assigned("11407"), assigned("11411")])
        await _warmed(app)
        kept = compiled_cache(app)
        warmed = kept.compiles
        assert warmed >= 1
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            signed = await sign_in(client, "http://test")
            assert signed.status_code == 303
            first = await client.get("/dashboard/plans/p")
            assert first.status_code == 200 and _not_reported(first.text) == 2
            assert kept.compiles == warmed  # served from what the warmer compiled

            await consume(app, [result("11407")])
            await _warmed(app)
            warmed = kept.compiles
            after = await client.get("/dashboard/plans/p")
            assert _not_reported(after.text) == 1  # the new state, compiled in the background
            assert kept.compiles == warmed

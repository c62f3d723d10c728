"""Revoked keys learnt from intake directly, not over the bus, so a revocation holds with the broker away.

Each service keeps its copy of the keys from `credential.changed` (dondoc.platform.credentials). That copy
trails the bus: with the broker away a revoked key kept working everywhere but intake (issue 15.2). So every
service that sets `REVOCATIONS_URL` (intake's address) also asks intake, every `revocation_poll_seconds`,
which keys are revoked, and marks them so in its own copy. If intake has not answered for
`revocation_max_staleness_seconds`, the service cannot know what was revoked meanwhile and refuses unit keys
(503, Vietnamese, Retry-After) until it answers again: how long a revoked key can live at most (ADR 0032).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from dondoc.kernel.clock import as_utc
from dondoc.platform.settings import ServiceSettings
from dondoc.platform.tables import PlatformTables

log = logging.getLogger(__name__)


class RevocationWatch:
    """Polls intake's list of revoked keys into the service's credentials copy; knows how fresh it is."""

    def __init__(self, settings: ServiceSettings, on_revoked: Callable[[], None] = lambda: None) -> None:
        self._on_revoked = on_revoked  # keys newly marked revoked: the authenticator's cache is cleared
        self.url = settings.revocations_url.rstrip("/") if settings.revocations_url else None
        self._token = settings.dondoc_admin_token
        self._every = settings.revocation_poll_seconds
        self._max_staleness = settings.revocation_max_staleness_seconds
        self._checked_at: float | None = None

    @property
    def enabled(self) -> bool:
        return self.url is not None

    def fresh(self) -> bool:
        """Whether the service knows every revocation up to at most the staleness bound ago."""
        if not self.enabled:
            return True
        return self._checked_at is not None and time.monotonic() - self._checked_at <= self._max_staleness

    async def poll_once(self, client: httpx.AsyncClient, engine: AsyncEngine, tables: PlatformTables) -> None:
        answer = await client.get(
            f"{self.url}/admin/keys/revoked", headers={"Authorization": f"Bearer {self._token}"}
        )
        answer.raise_for_status()
        t = tables.credentials
        marked = 0
        async with engine.begin() as conn:
            for item in answer.json():
                revoked_at = as_utc(datetime.fromisoformat(str(item["revoked_at"])))
                result = await conn.execute(
                    update(t)
                    .where(t.c.key_id == str(item["key_id"]), t.c.revoked_at.is_(None))
                    .values(revoked_at=revoked_at)
                )
                marked += result.rowcount or 0
        if marked:
            self._on_revoked()
        self._checked_at = time.monotonic()

    async def run(self, engine: AsyncEngine, tables: PlatformTables) -> None:
        """Poll until cancelled; a failing intake is logged once when it starts failing and once when back."""
        if not self.enabled:
            return
        failing = False
        async with httpx.AsyncClient(timeout=max(self._every, 2.0)) as client:
            while True:
                try:
                    await self.poll_once(client, engine, tables)
                    if failing:
                        log.info("revocations from intake available again", extra={"url": self.url})
                    failing = False
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if not failing:
                        log.warning("revocations from intake unavailable", extra={"error": str(exc)})
                    failing = True
                await asyncio.sleep(self._every)

"""Keys looked up lately are kept for a second; a revocation learnt by the watch counts at once (ADR 0051)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from dondoc.platform.auth import Authenticator, CredentialCache, IssuedKey, issue_key
from dondoc.platform.db import create_engine
from dondoc.platform.revocations import RevocationWatch
from dondoc.platform.settings import ServiceSettings
from services.tasks.models import PLATFORM, metadata


async def _store_with_a_key(tmp_path: Path) -> tuple[AsyncEngine, IssuedKey]:
    engine = create_engine(f"sqlite:///{tmp_path}/store.db")
    key = issue_key()
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(
            insert(PLATFORM.credentials).values(
                key_id=key.key_id,
                unit="11407",
                role="unit",
                secret_hash=key.secret_hash,
                created_at=datetime.now(UTC),
                revoked_at=None,
            )
        )
    return engine, key


def test_a_key_is_looked_up_again_once_its_second_is_over(tmp_path: Path) -> None:
    async def scenario() -> None:
        engine, key = await _store_with_a_key(tmp_path)
        cache = CredentialCache(ttl=60)
        authenticator = Authenticator(engine, PLATFORM, "adm", cache=cache)
        assert (await authenticator.authenticate(key.token)).unit == "11407"
        async with engine.begin() as conn:  # gone from the store behind the cache's back
            await conn.execute(delete(PLATFORM.credentials))
        assert (await authenticator.authenticate(key.token)).unit == "11407"  # within its time: kept
        with pytest.raises(HTTPException) as wrong:  # the secret is still checked against the kept hash
            await authenticator.authenticate(key.token[:-2] + "xx")
        assert wrong.value.status_code == 401
        cache.clear()
        with pytest.raises(HTTPException) as unknown:
            await authenticator.authenticate(key.token)
        assert unknown.value.status_code == 401
        expired = Authenticator(engine, PLATFORM, "adm", cache=CredentialCache(ttl=0))
        with pytest.raises(HTTPException):
            await expired.authenticate(key.token)
        await engine.dispose()

    asyncio.run(scenario())


def test_a_revocation_learnt_by_the_watch_clears_the_cache_at_once(tmp_path: Path) -> None:
    settings = ServiceSettings(revocations_url="http://intake.invalid", dondoc_admin_token="adm")
    cache = CredentialCache(ttl=60)
    watch = RevocationWatch(settings, on_revoked=cache.clear)

    async def scenario() -> None:
        engine, key = await _store_with_a_key(tmp_path)

        def revoked_list(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json=[{"key_id": key.key_id, "revoked_at": "2026-01-01T00:00:00"}])

        async with httpx.AsyncClient(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[]))
        ) as c:
            await watch.poll_once(c, engine, PLATFORM)
        authenticator = Authenticator(engine, PLATFORM, "adm", watch.fresh, cache)
        assert (await authenticator.authenticate(key.token)).unit == "11407"  # now in the cache
        async with httpx.AsyncClient(transport=httpx.MockTransport(revoked_list)) as client:
            await watch.poll_once(client, engine, PLATFORM)
        with pytest.raises(HTTPException) as gone:
            await authenticator.authenticate(key.token)
        assert gone.value.status_code == 401 and "thu hồi" in str(gone.value.detail)
        await engine.dispose()

    asyncio.run(scenario())

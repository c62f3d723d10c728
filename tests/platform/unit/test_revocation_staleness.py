"""A service that cannot learn revocations for longer than the bound refuses unit keys (ADR 0032)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from dondoc.platform.auth import Authenticator, issue_key
from dondoc.platform.revocations import RevocationWatch
from dondoc.platform.settings import ServiceSettings
from services.tasks.models import PLATFORM, metadata


def test_unit_keys_are_refused_while_revocations_are_unknown_and_accepted_once_intake_answers(
    tmp_path: Path,
) -> None:
    settings = ServiceSettings(
        revocations_url="http://intake.invalid", revocation_max_staleness_seconds=60, dondoc_admin_token="adm"
    )
    watch = RevocationWatch(settings)
    assert not watch.fresh()  # never heard from intake: nothing proves the key is still good
    assert RevocationWatch(ServiceSettings()).fresh()  # not configured: the bus alone, as before

    async def scenario() -> None:
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/store.db")
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            key = issue_key()
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
        authenticator = Authenticator(engine, PLATFORM, "adm", watch.fresh)
        with pytest.raises(HTTPException) as refused:
            await authenticator.authenticate(key.token)
        assert refused.value.status_code == 503 and "thử lại" in str(refused.value.detail)
        assert (await authenticator.authenticate("adm")).is_admin  # the bootstrap token is not a replica's

        def revoked_list(request: httpx.Request) -> httpx.Response:
            assert request.headers["authorization"] == "Bearer adm"
            return httpx.Response(200, json=[{"key_id": key.key_id, "revoked_at": "2026-01-01T00:00:00"}])

        async with httpx.AsyncClient(transport=httpx.MockTransport(revoked_list)) as client:
            await watch.poll_once(client, engine, PLATFORM)
        assert watch.fresh()
        with pytest.raises(HTTPException) as gone:
            await authenticator.authenticate(key.token)
        assert gone.value.status_code == 401 and "thu hồi" in str(gone.value.detail)
        await engine.dispose()

    asyncio.run(scenario())

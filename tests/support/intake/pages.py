"""Helpers for workspace tests that talk HTTP: a browser-like client (cookies, origin, form tokens)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from dondoc.platform.runtime import Runtime

ORIGIN = "https://intake.test"


@asynccontextmanager
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app (lifespan already entered) that keeps cookies like a browser on https."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN, headers={"Origin": ORIGIN}) as client:
        yield client


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the page carries no form token"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, username: str, password: str, next: str = "") -> httpx.Response:
    form = {"username": username, "password": password, "next": next or "/workspace"}
    return await client.post("/workspace/login", data=form)


async def audit(runtime: Runtime, action: str) -> list[tuple[str | None, str | None, str, int]]:
    """(key_id, unit, outcome, status) of every audit record of an action, oldest first."""
    t = runtime.spec.tables.audit_log
    query = select(t.c.key_id, t.c.unit, t.c.outcome, t.c.status).where(t.c.action == action).order_by(t.c.id)
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return [(r.key_id, r.unit, r.outcome, r.status) for r in rows]


NEW_PASSWORD = "Hai-Phong-2026!"


async def first_sign_in(client: httpx.AsyncClient, username: str, temporary: str) -> None:
    """Sign in with a temporary password and choose the person's own at once."""
    answer = await sign_in(client, username, temporary)
    assert answer.status_code == 303, answer.text
    token = csrf((await client.get("/workspace/password")).text)
    form = {"csrf": token, "current": temporary, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert (await client.post("/workspace/password", data=form)).status_code == 303

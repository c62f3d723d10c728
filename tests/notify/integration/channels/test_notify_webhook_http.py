"""Signed webhooks against a real HTTP receiver (uvicorn) that verifies them and fails on purpose."""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response

from services.notify.channels import webhook
from services.notify.channels.delivery import deliver_with_retry
from services.notify.channels.webhook import signed_headers, verify_signature
from services.notify.domain.retry import Outcome, RetryPolicy

SECRET = b"khoa-bi-mat-phuong-an-bien"
BODY = json.dumps(
    {"loai": "task_assigned", "don_vi": "UBND phường An Biên", "nhiem_vu": "Tổ chức quán triệt"},
    ensure_ascii=False,
).encode()
# The receiver listens on 127.0.0.1: these tests opt in to loopback, as development does.
send_webhook = partial(webhook.send_webhook, allow_loopback=True)
POLICY = RetryPolicy(base=timedelta(milliseconds=10), cap=timedelta(seconds=1), max_attempts=4)


@dataclass
class WardSystem:
    """What the ward's receiving system saw: every request, and the deliveries it accepted."""

    fail_first: int = 0
    fail_status: int = 503
    retry_after: str | None = None
    seen: list[tuple[str, bool]] = field(default_factory=list)
    accepted: list[tuple[str, bytes]] = field(default_factory=list)


def ward_app(ward: WardSystem) -> FastAPI:
    app = FastAPI()

    @app.post("/dondoc")
    async def receive(request: Request) -> Response:
        body = await request.body()
        event_id = request.headers.get("x-dondoc-event-id", "")
        genuine = verify_signature(request.headers, body, SECRET, datetime.now(UTC))
        ward.seen.append((event_id, genuine))
        if not genuine:
            return Response(status_code=401)
        if len(ward.seen) <= ward.fail_first:
            headers = {"Retry-After": ward.retry_after} if ward.retry_after else {}
            return Response(status_code=ward.fail_status, headers=headers)
        ward.accepted.append((event_id, body))
        return Response(status_code=204)

    @app.post("/moved")
    async def moved() -> Response:
        # A receiver (or whoever took its name) pointing notify elsewhere: somewhere inside, say.
        return Response(status_code=307, headers={"Location": "/dondoc"})

    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def ward() -> WardSystem:
    return WardSystem()


@pytest.fixture
def ward_url(ward: WardSystem) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(ward_app(ward), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.005)
    try:
        yield f"http://127.0.0.1:{port}/dondoc"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


class RecordedSleep:
    """Stands in for asyncio.sleep: remembers each wait and yields without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


async def test_a_ward_failing_twice_then_accepting_gets_exactly_one_delivery(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    ward.fail_first = 2
    sleep = RecordedSleep()
    run = await deliver_with_retry(
        lambda: send_webhook(client, ward_url, BODY, SECRET, datetime.now(UTC), event_id="ntf-7"),
        POLICY,
        random.Random(11).random,
        sleep=sleep,
    )
    assert run.delivered
    assert [a.result.status for a in run.attempts] == [503, 503, 204]
    assert [a.decision.action for a in run.attempts] == ["retry", "retry", "done"]
    assert ward.seen == [("ntf-7", True)] * 3
    assert ward.accepted == [("ntf-7", BODY)]
    assert len(sleep.waits) == 2
    assert 0 <= sleep.waits[0] < 0.010 and 0 <= sleep.waits[1] < 0.020  # full jitter under each ceiling


async def test_a_throttling_ward_is_waited_for_as_long_as_it_asks(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    ward.fail_first, ward.fail_status, ward.retry_after = 1, 429, "3"
    sleep = RecordedSleep()
    run = await deliver_with_retry(
        lambda: send_webhook(client, ward_url, BODY, SECRET, datetime.now(UTC), event_id="ntf-8"),
        POLICY,
        random.Random(1).random,
        sleep=sleep,
    )
    assert run.delivered
    assert run.attempts[0].result.retry_after == timedelta(seconds=3)
    assert sleep.waits == [3.0]
    assert len(ward.accepted) == 1


async def test_a_ward_that_keeps_failing_is_dead_lettered_after_the_last_attempt(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    ward.fail_first = 100
    sleep = RecordedSleep()
    run = await deliver_with_retry(
        lambda: send_webhook(client, ward_url, BODY, SECRET, datetime.now(UTC), event_id="ntf-9"),
        POLICY,
        random.Random(2).random,
        sleep=sleep,
    )
    assert not run.delivered
    assert len(run.attempts) == POLICY.max_attempts == len(ward.seen)
    assert run.attempts[-1].decision.action == "dead_letter"
    assert ward.accepted == []


async def test_a_ward_rejecting_the_request_is_not_retried(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    ward.fail_first, ward.fail_status = 100, 422
    run = await deliver_with_retry(
        lambda: send_webhook(client, ward_url, BODY, SECRET, datetime.now(UTC), event_id="ntf-10"),
        POLICY,
        random.Random(3).random,
        sleep=RecordedSleep(),
    )
    assert [a.decision.action for a in run.attempts] == ["dead_letter"]
    assert run.final.status == 422


async def test_a_tampered_body_is_refused_by_the_ward(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    headers = signed_headers(BODY, SECRET, datetime.now(UTC), "ntf-11")
    tampered = BODY.replace("Tổ chức".encode(), "Hủy bỏ".encode())
    response = await client.post(ward_url, content=tampered, headers=headers)
    assert response.status_code == 401
    assert ward.seen == [("ntf-11", False)]
    assert ward.accepted == []


async def test_a_stale_webhook_is_refused_by_the_ward_and_not_retried(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    ten_minutes_ago = datetime.now(UTC) - timedelta(minutes=10)
    result = await send_webhook(client, ward_url, BODY, SECRET, ten_minutes_ago, event_id="ntf-12")
    assert (result.outcome, result.status) == (Outcome.PERMANENT, 401)
    assert ward.seen == [("ntf-12", False)]


async def test_nobody_listening_is_a_transient_failure(client: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{_free_port()}/dondoc"
    result = await send_webhook(client, url, BODY, SECRET, datetime.now(UTC), event_id="ntf-13")
    assert result.outcome is Outcome.TRANSIENT


async def test_an_unknown_host_is_a_transient_failure(client: httpx.AsyncClient) -> None:
    url = "http://khong-ton-tai.invalid/dondoc"
    result = await send_webhook(client, url, BODY, SECRET, datetime.now(UTC), event_id="ntf-14")
    assert result.outcome is Outcome.TRANSIENT


async def test_a_malformed_address_is_a_permanent_failure(client: httpx.AsyncClient) -> None:
    for url in ("ftp://anbien.vn/hook", "khong-phai-url"):
        result = await send_webhook(client, url, BODY, SECRET, datetime.now(UTC), event_id="ntf-15")
        assert result.outcome is Outcome.PERMANENT


async def test_a_receiver_that_never_answers_times_out_as_transient() -> None:
    release = asyncio.Event()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(timeout=0.05) as impatient:
            url = f"http://127.0.0.1:{port}/dondoc"
            result = await send_webhook(impatient, url, BODY, SECRET, datetime.now(UTC), event_id="ntf-16")
    finally:
        release.set()
        server.close()
    assert result.outcome is Outcome.TRANSIENT
    assert "timeout" in result.detail


async def test_a_redirect_is_never_followed(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    moved = ward_url.replace("/dondoc", "/moved")
    result = await send_webhook(client, moved, BODY, SECRET, datetime.now(UTC), event_id="ntf-17")
    assert (result.outcome, result.status) == (Outcome.PERMANENT, 307)
    assert ward.seen == []  # the place it pointed to was never asked


async def test_outside_development_a_loopback_receiver_is_refused_at_send(
    ward: WardSystem, ward_url: str, client: httpx.AsyncClient
) -> None:
    for url in (ward_url, ward_url.replace("127.0.0.1", "localhost"), ward_url.replace("http:", "https:")):
        result = await webhook.send_webhook(client, url, BODY, SECRET, datetime.now(UTC), event_id="ntf-18")
        assert result.outcome is Outcome.PERMANENT and "refused" in result.detail, (url, result)
    assert ward.seen == []

"""Real receivers for notify's integration tests: an SMTP server (aiosmtpd) and a ward's HTTP system."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from aiosmtpd.controller import Controller

from tests.support.notify import Mailbox, WardSystem, free_port, ward_app


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def ward() -> Iterator[tuple[WardSystem, str]]:
    system = WardSystem()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(ward_app(system), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the ward's receiver did not start"
        time.sleep(0.01)
    try:
        yield system, f"http://127.0.0.1:{port}/dondoc"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

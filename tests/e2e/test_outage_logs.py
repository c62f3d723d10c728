"""A broker outage reads as a few lines in a service's log, not thousands.

Tasks runs as a process (`dondoc serve tasks`, JSON logs to a file) on a real Tansu broker; the broker is
stopped for longer than two summary intervals (shortened to a few seconds here; a minute by default), then
started again on the same address. Before this, aiokafka wrote about 5,500 lines a minute.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest

from dondoc.platform import processes
from dondoc.platform.kafka import ensure_topics
from shared.topics import ALL_TOPICS
from tests.support import ADMIN_TOKEN

pytestmark = pytest.mark.e2e
SUMMARY_SECONDS = 4
OUTAGE_SECONDS = 3 * SUMMARY_SECONDS + 2


def _lines(log: Path) -> list[dict[str, object]]:
    found = []
    for raw in log.read_text().splitlines():
        try:
            found.append(json.loads(raw))
        except ValueError:
            found.append({"logger": "raw", "message": raw})
    return found


def _wait_ready(url: str, ready: bool, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (httpx.get(f"{url}/ready", timeout=5).status_code == 200) == ready:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url}/ready did not become {'ready' if ready else 'not ready'}")


def test_a_broker_outage_is_summarised_and_readiness_changes_are_logged_once(tmp_path: Path) -> None:
    port = processes.free_port()
    broker = processes.start_broker(port, tmp_path / "broker.log")
    asyncio.run(ensure_topics(broker.bootstrap, ALL_TOPICS, partitions=3))
    http = processes.free_port()
    url = f"http://127.0.0.1:{http}"
    log = tmp_path / "tasks.log"
    env = {
        "KAFKA_BOOTSTRAP": broker.bootstrap,
        "HTTP_PORT": str(http),
        "DATABASE_URL": f"sqlite:///{tmp_path}/tasks.db",
        "DONDOC_ADMIN_TOKEN": ADMIN_TOKEN,
        "LOG_REPEAT_SUMMARY_SECONDS": str(SUMMARY_SECONDS),
    }
    service = processes.start_service("tasks", env, log)
    try:
        processes.wait_healthy(url, service)
        _wait_ready(url, True)
        before = len(_lines(log))
        broker.stop()
        _wait_ready(url, False)
        time.sleep(OUTAGE_SECONDS)
        broker = processes.start_broker(port, tmp_path / "broker-again.log")
        _wait_ready(url, True)
        time.sleep(6)  # the readiness watcher's next round closes the outage's summary
    finally:
        processes.stop_process(service)
        broker.stop()
    outage = _lines(log)[before:]
    messages = [str(line.get("message")) for line in outage]
    assert not [line for line in outage if str(line.get("logger", "")).startswith("aiokafka")], messages[:20]
    assert messages.count("broker connection errors started") == 1
    continuing = [line for line in outage if line.get("message") == "broker connection errors continue"]
    assert 2 <= len(continuing) <= OUTAGE_SECONDS // SUMMARY_SECONDS + 2
    assert all(int(str(line["errors"])) > 0 for line in continuing)  # each says how many it stands for
    [ended] = [line for line in outage if line.get("message") == "broker connection errors ended"]
    assert int(str(ended["errors"])) > sum(int(str(line["errors"])) for line in continuing)
    assert messages.count("not ready") == 1 and messages.count("ready again") == 1
    assert len(outage) < 60, f"{len(outage)} lines for a {OUTAGE_SECONDS} s outage:\n" + "\n".join(messages)

"""A real Prometheus for tests: scrape given targets every second and answer PromQL over its HTTP API.

Usage:
    with run_prometheus({"tasks": "127.0.0.1:8002"}, tmp_path, rule_files=[...]) as prometheus:
        prometheus.wait_for('up{service="tasks"} == 1')
        samples = prometheus.query("dondoc_outbox_pending")
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, cast

import httpx
import yaml

from tests.support.deploy.promtool import require_program


class Sample(TypedDict):
    """One element of an instant vector in Prometheus's JSON answer."""

    metric: dict[str, str]
    value: list[float | str]  # [unix time, the value as a string]


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(path: Path, targets: Mapping[str, str], rule_files: Sequence[Path]) -> None:
    """A config like deploy/prometheus/prometheus.local.yml, but scraping every second."""
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "1s"},
        "rule_files": [str(rule) for rule in rule_files],
        "scrape_configs": [
            {
                "job_name": f"dondoc-{service}",
                "static_configs": [{"targets": [target], "labels": {"service": service}}],
            }
            for service, target in targets.items()
        ],
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")


@dataclass(frozen=True)
class RunningPrometheus:
    """A Prometheus process started by run_prometheus, reached over its HTTP API."""

    base_url: str
    process: subprocess.Popen[bytes]

    def api(self, path: str, params: Mapping[str, str] | None = None) -> object:
        """The `data` of a successful API answer."""
        response = httpx.get(f"{self.base_url}/api/v1/{path}", params=params, timeout=5)
        response.raise_for_status()
        body = cast(dict[str, object], response.json())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, promql: str) -> list[Sample]:
        """The instant vector an expression evaluates to now."""
        data = cast(dict[str, object], self.api("query", {"query": promql}))
        return cast(list[Sample], data["result"])

    def wait_for(self, promql: str, within: float = 30.0) -> list[Sample]:
        """Poll until the expression returns something (a scrape or a rule evaluation has happened)."""
        deadline = time.monotonic() + within
        while True:
            result = self.query(promql)
            if result or time.monotonic() > deadline:
                assert result, f"{promql!r} still empty after {within} s"
                return result
            time.sleep(0.2)


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/-/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"prometheus not ready after {within} s:\n{log.read_text()[-3000:]}")


@contextmanager
def run_prometheus(
    targets: Mapping[str, str], workdir: Path, rule_files: Sequence[Path] = ()
) -> Iterator[RunningPrometheus]:
    """Start Prometheus scraping `targets` (service name -> host:port) with its data under workdir."""
    binary = require_program("prometheus")
    workdir.mkdir(parents=True, exist_ok=True)
    config, log = workdir / "prometheus.yml", workdir / "prometheus.log"
    write_config(config, targets, rule_files)
    port = free_port()
    command = [
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={workdir / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base_url, process, log)
        yield RunningPrometheus(base_url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

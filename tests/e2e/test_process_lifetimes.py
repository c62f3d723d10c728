"""`dondoc broker` and `dondoc up` leave nothing running behind them, however they end.

The commands run as a user runs them (`python -m dondoc.cli …`, in a session of their own as a terminal
would start them); the test then looks at which processes are left, from /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dondoc.platform import processes

pytestmark = pytest.mark.e2e
DONDOC = [sys.executable, "-m", "dondoc.cli"]


def _descendants(pid: int) -> set[int]:
    """Every living process below `pid`, from /proc (children first found, then theirs)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set[int](), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _eventually_gone(pids: set[int], ports: list[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids) and not any(processes.port_open("127.0.0.1", p) for p in ports):
            return
        time.sleep(0.2)
    left = sorted(p for p in pids if _alive(p))
    listening = [p for p in ports if processes.port_open("127.0.0.1", p)]
    for pid in left:  # leave the machine clean for the next test before failing
        os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"left behind: processes {left}, ports still listening {listening}")


def _free_ports(count: int) -> int:
    """A base port with `count` free ports after it."""
    while True:
        base = processes.free_port()
        if base + count < 65000 and not any(processes.port_open("127.0.0.1", base + i) for i in range(count)):
            return base


@contextmanager
def _started(command: list[str], cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not processes.port_open("127.0.0.1", port):
        assert process.poll() is None, process.stdout.read() if process.stdout else b""
        assert time.monotonic() < deadline, f"nothing listens on {port}"
        time.sleep(0.1)


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_the_broker_command_leaves_no_broker_behind(ending: signal.Signals, tmp_path: Path) -> None:
    port = processes.free_port()
    with _started([*DONDOC, "broker", "--port", str(port)], tmp_path) as broker:
        _wait_port(port, broker)
        below = _descendants(broker.pid)
        os.kill(broker.pid, ending)
        broker.wait(timeout=30)
        _eventually_gone(below | {broker.pid}, [port])


def test_a_taken_port_is_a_loud_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*DONDOC, "broker", "--port", str(port)], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
    assert done.returncode != 0
    assert f"127.0.0.1:{port} is already taken" in done.stderr


def _story(said: list[bytes], var: Path) -> str:
    """What dondoc up printed and the last lines of each log it kept, to tell why a start failed."""
    parts = [b"".join(said).decode(errors="replace")]
    for log in sorted(var.glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-25:]
        parts.append(f"--- {log.name}\n" + "\n".join(tail))
    return "\n".join(parts)


@pytest.mark.parametrize("ending", ["ctrl-c", "crash"])
def test_make_run_leaves_nothing_behind_after_ctrl_c_or_a_crash(ending: str, tmp_path: Path) -> None:
    broker_port, base = processes.free_port(), _free_ports(4)
    ports = [broker_port, *range(base, base + 4)]
    env = {k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP", "DATABASE_URL")}
    command = [*DONDOC, "up", "--var", str(tmp_path / "var"), "--broker-port", str(broker_port)]
    command += ["--http-port-base", str(base)]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        said: list[bytes] = []
        for raw in process.stdout:  # until everything is up
            said.append(raw)
            if raw.startswith(b"Ctrl-C stops everything"):
                break
        else:
            story = _story(said, tmp_path / "var")
            raise AssertionError(f"dondoc up did not come up (exit {process.wait()}):\n{story}")
        below = _descendants(process.pid)
        assert len(below) >= 5, f"expected the broker and four services below dondoc up, found {below}"
        if ending == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
        else:
            os.kill(process.pid, signal.SIGKILL)  # the supervisor dies without a chance to clean up
        process.wait(timeout=60)
        _eventually_gone(below, ports)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

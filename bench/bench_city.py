"""A city plan to every unit, as `make run` runs it: the broker and the four services as processes.

    .venv/bin/python bench/bench_city.py [tasks]
    BENCH_CITY_PYSPY=/tmp/city .venv/bin/python bench/bench_city.py   # and py-spy samples of each service

With BENCH_CITY_PYSPY (py-spy installed: `uv pip install py-spy`), each service is sampled from the 202
to its last row, every thread, into <folder>/<service>.txt (collapsed stacks, `py-spy record -f raw`);
cProfile would see only the loop's thread and lose its way in SQLAlchemy's greenlets.

A plan of N tasks (20 by default), each led by "Các sở, ban, ngành và UBND cấp xã" (every city department and
every commune-level committee, 125–127 units): N × 125 assignments or so. Timed from intake's 202 to the last
assignment in tasks' store, the last `task.assigned` in reporting's read model and the last inbox notification
in notify's. Baseline: raw aiokafka producing the same number of messages and consuming them on the same
broker. Also prints the peak resident memory of the broker and the four services during the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import procstat
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from dondoc.directory import load_default_directory
from dondoc.platform import processes
from dondoc.platform.kafka import ensure_topics
from shared.topics import ALL_TOPICS

TOKEN = "bench-admin-token"
# What the plan's lead names (G.CITY_DEPARTMENTS+G.COMMUNES): 125 units when issue 19 was filed.
UNITS = len(set(load_default_directory().expand("G.CITY_DEPARTMENTS+G.COMMUNES", None)))
WHERE = {
    "tasks": ("tasks", "SELECT count(*) FROM assignments"),
    "reporting": ("reporting", "SELECT count(*) FROM assignment_view"),
    "notify": ("notify", "SELECT count(*) FROM notifications WHERE channel = 'inbox'"),
}


def city_plan(tasks: int) -> dict[str, object]:
    return {
        "issuer": "HP",
        "number": f"{uuid.uuid4().hex[:4]}/KH-UBND",
        "title": "Kế hoạch hành động của thành phố",
        "tasks": [
            {
                "ref": str(i),
                "title": f"Nhiệm vụ số {i}: rà soát văn bản quy phạm pháp luật",
                "lead": [{"text": "Các sở, ban, ngành và UBND cấp xã"}],
                "timeframe": {"text": "Năm 2026"},
            }
            for i in range(1, tasks + 1)
        ],
    }


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (`procstat`), 0 for one already gone."""
    try:
        return procstat.cpu_seconds(pid)
    except OSError:
        return 0.0


def count(folder: Path, service: str, query: str) -> int:
    path = folder / f"{service}.db"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(query).fetchone()[0])
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


def _moments(folder: Path, service: str, query: str) -> tuple[float, float] | None:
    """The first and last time (epoch seconds) a query over a service's store gives, or None."""
    path = folder / f"{service}.db"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            first, last = conn.execute(query).fetchone()
    except sqlite3.OperationalError:
        return None
    if first is None:
        return None
    seconds = [datetime.fromisoformat(m).replace(tzinfo=UTC).timestamp() for m in (first, last)]
    return seconds[0], seconds[1]


# Where the time went: each stage's first and last row, as its own store dates them.
HANDLED = (
    "SELECT min(processed_at), max(processed_at) FROM processed_events WHERE consumer = '{}.task.assigned'"
)
STAGES = {
    "tasks: assignments committed": (
        "tasks",
        "SELECT min(created_at), max(created_at) FROM outbox WHERE topic = 'task.assigned'",
    ),
    "tasks: task.assigned published": (
        "tasks",
        "SELECT min(published_at), max(published_at) FROM outbox WHERE topic = 'task.assigned'",
    ),
    "reporting: task.assigned handled": ("reporting", HANDLED.format("reporting")),
    "notify: task.assigned handled": ("notify", HANDLED.format("notify")),
}


def timeline(folder: Path, accepted: float) -> list[str]:
    """Each stage's first and last row, in seconds after the 202 (the stores' clocks are this machine's)."""
    lines = []
    for label, (service, query) in STAGES.items():
        moments = _moments(folder, service, query)
        if moments is not None:
            first, last = (m - accepted for m in moments)
            lines.append(f"  {label:<34} {first:6.2f} → {last:6.2f} s after the 202")
    return lines


async def raw_baseline(bootstrap: str, n: int) -> float:
    """Produce n messages, then consume and commit them all: the broker's own pace for the same count."""
    topic = "bench.city"
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"raw-{uuid.uuid4()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await asyncio.sleep(6)  # the group joined before timing
        payload = b"x" * 700  # about a task.assigned envelope
        started = time.perf_counter()
        sent = [await producer.send(topic, payload, key=f"u{i % UNITS}".encode()) for i in range(n)]
        await asyncio.gather(*sent)
        seen = 0
        while seen < n:
            batch = await consumer.getmany(timeout_ms=500)
            seen += sum(len(records) for records in batch.values())
            await consumer.commit()
        return time.perf_counter() - started
    finally:
        await producer.stop()
        await consumer.stop()


def sample(procs: dict[str, subprocess.Popen[bytes]], folder: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy recording each service (collapsed stacks, every thread, on-CPU samples only) until stopped."""
    folder.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    spies = [
        subprocess.Popen(
            [
                spy,
                "record",
                "-p",
                str(proc.pid),
                "-r",
                "200",
                "-f",
                "raw",
                "--threads",
                "--nonblocking",
                "-o",
                str(folder / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, proc in procs.items()
    ]
    time.sleep(1)  # attached
    return spies


def main(tasks: int) -> None:
    spied = Path(os.environ["BENCH_CITY_PYSPY"]) if os.environ.get("BENCH_CITY_PYSPY") else None
    expected = tasks * UNITS
    # BENCH_CITY_KEEP=1 keeps the stores and the services' logs (the folder is printed).
    with contextlib.ExitStack() as cleanup:
        keep = bool(os.environ.get("BENCH_CITY_KEEP"))
        tmp = (
            tempfile.mkdtemp(prefix="bench-city-")
            if keep
            else cleanup.enter_context(tempfile.TemporaryDirectory())
        )
        folder = Path(tmp)
        broker = processes.start_broker(processes.free_port())
        procs: dict[str, subprocess.Popen[bytes]] = {}
        try:
            asyncio.run(ensure_topics(broker.bootstrap, [*ALL_TOPICS, "bench.city"], partitions=3))
            ports = {name: processes.free_port() for name in processes.SERVICES}
            for name, port in ports.items():
                env = {
                    "KAFKA_BOOTSTRAP": broker.bootstrap,
                    "HTTP_PORT": str(port),
                    "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
                    "DATABASE_URL": f"sqlite:///{folder}/{name}.db",
                    "DONDOC_ADMIN_TOKEN": TOKEN,
                    "KAFKA_FETCH_MAX_WAIT_MS": "50",
                    "LOG_LEVEL": "WARNING",
                    "TICKER_ENABLED": "false",
                }
                procs[name] = processes.start_service(name, env, folder / f"{name}.log")
            for name, port in ports.items():
                # a shared machine may need minutes to start four services at once
                processes.wait_healthy(f"http://127.0.0.1:{port}", procs[name], timeout=180)
            pids = [broker.process.pid, *(p.pid for p in procs.values())]
            time.sleep(12)  # every consumer group joined (Tansu takes about five seconds per join)
            busy = {name: cpu_seconds(p.pid) for name, p in procs.items()}
            busy["broker"] = cpu_seconds(broker.process.pid)
            load = os.getloadavg()[0]
            spies = sample(procs, spied) if spied is not None else []
            answer = httpx.post(
                f"http://127.0.0.1:{ports['intake']}/plans",
                json=city_plan(tasks),
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )
            accepted = time.perf_counter()
            accepted_at = time.time()
            assert answer.status_code == 202, answer.text
            reached: dict[str, float] = {}
            used: dict[str, float] = {}  # CPU seconds a service had spent when its last row was there
            peak = rss_mib(pids)
            deadline = accepted + 180
            while len(reached) < len(WHERE) and time.perf_counter() < deadline:
                for label, (service, query) in WHERE.items():
                    if label not in reached and count(folder, service, query) >= expected:
                        reached[label] = time.perf_counter() - accepted
                        used[label] = cpu_seconds(procs[service].pid) - busy[service]
                peak = max(peak, rss_mib(pids))
                time.sleep(0.02)
            after = rss_mib(pids)
            for spy in spies:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=30)
            busy = {n: cpu_seconds(p.pid) - busy[n] for n, p in [*procs.items(), ("broker", broker.process)]}
            stages = timeline(folder, accepted_at)
            raw = asyncio.run(raw_baseline(broker.bootstrap, expected))
        finally:
            for proc in procs.values():
                processes.stop_process(proc)
            broker.stop()
    print(f"city plan: {tasks} tasks × {UNITS} units = {expected} assignments (Tansu, 4 service processes)")
    for label in WHERE:
        figure = f"{reached[label]:.2f} s" if label in reached else "not reached in 180 s"
        print(f"  202 → last assignment in {label:<10} {figure}")
    print(f"baseline raw aiokafka produce → consume + commit of {expected} messages: {raw:.3f} s")
    if "notify" in reached:
        print(f"  ratio 202 → last inbox notification / baseline: {reached['notify'] / raw:.0f}×")
    # CPU time is steadier than wall time on a shared machine; "to the end" includes idle polling.
    print("CPU seconds from the 202 to its last row:", ", ".join(f"{n} {s:.2f}" for n, s in used.items()))
    print(
        "CPU seconds each process spent from the 202 to the end:",
        ", ".join(f"{n} {s:.2f}" for n, s in busy.items()),
    )
    print(
        "where the time went (each stage's first and last row, as its store dates them):", *stages, sep="\n"
    )
    print(f"load average (1 min) when the plan was posted: {load:.1f} on {os.cpu_count()} cores")
    print(f"memory (RSS, broker + 4 services): peak {peak:.0f} MiB, after {after:.0f} MiB (limit 1024 MiB)")
    if os.environ.get("BENCH_CITY_KEEP"):
        print(f"stores and logs kept in {folder}")
    if spied is not None:
        print(f"py-spy samples (collapsed stacks) from the 202 to the last row: {spied}/<service>.txt")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

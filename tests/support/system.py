"""The whole system as `make run` starts it: a broker process and four service processes, on free ports."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dondoc.platform import processes
from dondoc.platform.kafka import ensure_topics
from shared.topics import ALL_TOPICS
from tests.support import ADMIN_TOKEN
from tests.support.sockets import listens_on


@dataclass
class System:
    """Running processes and where to reach them."""

    folder: Path
    broker: processes.Broker
    ports: dict[str, int]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def env(self, service: str) -> dict[str, str]:
        return {
            "KAFKA_BOOTSTRAP": self.broker.bootstrap,
            "HTTP_PORT": str(self.ports[service]),
            "PUBLIC_BASE_URL": self.url(service),
            "DATABASE_URL": f"sqlite:///{self.folder}/{service}.db",
            "DONDOC_ADMIN_TOKEN": ADMIN_TOKEN,
            "KAFKA_FETCH_MAX_WAIT_MS": "50",
            "NOTIFY_SECRETS_KEYS": "ZG9uZG9jLW5vdGlmeS10ZXN0LWtleS0yMDI2LTAwMDE=",
            "WORKSPACE_SECURE_COOKIE": "false",
            "NOTIFY_URL": self.url("notify"),
            # Where people are sent between the workspace and the dashboard (ADR 0091).
            "INTAKE_PUBLIC_URL": self.url("intake"),
            "REPORTING_PUBLIC_URL": self.url("reporting"),
            # As `make run` sets it: revocations learnt from intake directly, not over the bus (ADR 0032).
            **({} if service == "intake" else {"REVOCATIONS_URL": self.url("intake")}),
            **self.extra_env,
        }

    def start(self, service: str) -> None:
        self.procs[service] = processes.start_service(
            service, self.env(service), self.folder / f"{service}.log"
        )

    def wait(self, service: str) -> None:
        # Start-up, not behaviour: with the suite's workers starting several systems at once on two cores a
        # service has been seen to need more than a minute to import, migrate and listen.
        processes.wait_healthy(self.url(service), self.procs[service], timeout=180.0)

    def kill(self, service: str) -> None:
        proc = self.procs.pop(service)
        proc.kill()
        proc.wait()

    def stop(self, service: str) -> None:
        processes.stop_process(self.procs.pop(service))

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))


def run_system(tmp_path: Path) -> Iterator[System]:
    broker = processes.start_broker(processes.free_port(), tmp_path / "broker.log")
    asyncio.run(ensure_topics(broker.bootstrap, ALL_TOPICS, partitions=3))
    running = System(tmp_path, broker, {})
    try:
        for _attempt in range(3):
            running.ports = {name: processes.free_port() for name in processes.SERVICES}
            for name in running.ports:
                running.start(name)
            for name in running.ports:
                running.wait(name)
            # A free port is free until someone binds it: another test's server, started meanwhile by
            # another worker, may have taken one first. Its /health answered for ours, whose bind then
            # failed, and the test talked to a stranger (a 404 on the dashboard's hand-over, seen once).
            taken = [n for n, port in running.ports.items() if not listens_on(running.procs[n].pid, port)]
            if not taken:
                break
            print(f"ports taken by other servers for {taken}: starting again on other ports")
            for name in list(running.procs):
                running.stop(name)
        else:
            raise RuntimeError("three starts found a service's port taken by another server")
        yield running
    except BaseException:
        print(running.logs())
        raise
    finally:
        for name in list(running.procs):
            running.stop(name)
        running.broker.stop()  # the test may have replaced it (a broker restarted empty)


UNITS = ("11407.VP", "11407.KT", "11407.VHXH")  # one lead, two coordinating: 3 assignments per plan


def plan(i: int) -> dict[str, object]:
    return {
        "issuer": "11407",
        "number": f"{100 + i}/KH-UBND",
        "title": f"Kế hoạch kiểm thử số {i}",
        "tasks": [
            {
                "ref": "1",
                "title": f"Nhiệm vụ của kế hoạch {i}",
                "lead": [{"text": "Văn phòng HĐND và UBND", "unit": UNITS[0]}],
                "coordinating": [{"text": u, "unit": u} for u in UNITS[1:]],
                "timeframe": {"text": "Năm 2027", "kind": "deadline", "due": "2027-12-31"},
            }
        ],
        "reporting": [
            {"reporter": [{"text": "UBND phường An Biên", "unit": "11407"}], "recurrence": ["monthly"]}
        ],
    }


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return int(conn.execute(sql).fetchone()[0])


def counts(folder: Path) -> dict[str, int]:
    return {
        "plans": count(folder / "intake.db", "SELECT count(*) FROM plans"),
        "assignments": count(folder / "tasks.db", "SELECT count(*) FROM assignments"),
        "inbox": count(folder / "notify.db", "SELECT count(*) FROM notifications WHERE channel = 'inbox'"),
        "read_model": count(folder / "reporting.db", "SELECT count(*) FROM assignment_view"),
    }

"""The database init script gives each service its own database and role, closed to the others."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.deploy.catalog import REPO, SERVICE_PORTS
from tests.support.deploy.prom import free_port

SCRIPT = REPO / "deploy" / "postgres" / "init-databases.sh"
PASSWORDS = {name: f"pw-{name}'; drop role x;--" for name in SERVICE_PORTS}  # quoting must hold


def as_cluster_owner(command: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, a developer usually not.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Path, int]]:
    """A throwaway PostgreSQL server in a temporary folder, as the postgres image would start it."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        pytest.fail("PostgreSQL server binaries not found under /usr/lib/postgresql (Debian's postgresql)")
    # Not under pytest's tmp folder: its parents are closed to the postgres user.
    with tempfile.TemporaryDirectory(prefix="dondoc-pg-") as folder:
        yield from _run_cluster(Path(bins[-1]), Path(folder), free_port())


def _run_cluster(pg_bin: Path, root: Path, port: int) -> Iterator[tuple[Path, int]]:
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    subprocess.run(
        as_cluster_owner([str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres",
                          "--auth-local=trust", "--auth-host=scram-sha-256"]),
        check=True, capture_output=True, timeout=60, cwd=root,
    )  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    pg_ctl = [str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(root / "log")]
    start = as_cluster_owner([*pg_ctl, "-o", options, "-w", "start"])
    subprocess.run(start, check=True, timeout=60, cwd=root)
    try:
        yield root, port
    finally:
        stop = as_cluster_owner([*pg_ctl, "-m", "fast", "-w", "stop"])
        subprocess.run(stop, check=False, timeout=60, cwd=root)


def run_init(socket_dir: Path, port: int) -> None:
    # The postgres user may not be able to enter the clone (a `mktemp -d` folder, root's home): it runs a
    # copy in the cluster's own folder, which it owns, exactly as the postgres image runs a mounted script.
    script = socket_dir / SCRIPT.name
    shutil.copyfile(SCRIPT, script)
    script.chmod(0o644)
    env = {"PATH": os.environ["PATH"], "PGHOST": str(socket_dir), "PGPORT": str(port)}
    env |= {"POSTGRES_USER": "postgres", "POSTGRES_DB": "postgres"}
    env |= {f"{name.upper()}_DB_PASSWORD": password for name, password in PASSWORDS.items()}
    command = as_cluster_owner(["env", *(f"{k}={v}" for k, v in env.items()), "bash", str(script)])
    subprocess.run(command, check=True, capture_output=True, timeout=60, env=env, cwd=socket_dir)


def connect(port: int, user: str, database: str, password: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(host="127.0.0.1", port=port, user=user, dbname=database, password=password)


def test_each_service_owns_its_database_and_cannot_open_another(cluster: tuple[Path, int]) -> None:
    socket_dir, port = cluster
    run_init(socket_dir, port)
    run_init(socket_dir, port)  # idempotent: a second run must not fail
    for name, password in PASSWORDS.items():
        with connect(port, name, name, password) as conn:
            conn.execute("CREATE TABLE probe (id int)")
            assert conn.execute("SELECT current_user, current_database()").fetchone() == (name, name)
    with pytest.raises(psycopg.OperationalError, match="CONNECT privilege"):
        connect(port, "intake", "tasks", PASSWORDS["intake"])
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(port, "tasks", "tasks", PASSWORDS["intake"])

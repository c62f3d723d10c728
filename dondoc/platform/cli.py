"""`dondoc up`, `dondoc serve SERVICE`, `dondoc broker`: running the system."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dondoc.platform import processes

if TYPE_CHECKING:  # the CLI imports the web stack only for the commands that serve or build an app
    from dondoc.platform.app import ServiceApp

VAR = Path("var")


def register(subparsers: Any) -> None:
    up = subparsers.add_parser("up", help="start the broker and the four services (what `make run` does)")
    up.add_argument("--var", type=Path, default=VAR, help="folder for the stores and logs (default: var/)")
    up.add_argument("--broker-port", type=int, default=9092, help="the embedded broker's port (default 9092)")
    up.add_argument(
        "--http-port-base", type=int, default=8001, help="intake's port; tasks, reporting, notify follow"
    )
    up.set_defaults(func=cmd_up)
    serve = subparsers.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=sorted(processes.SERVICES))
    serve.set_defaults(func=cmd_serve)
    broker = subparsers.add_parser("broker", help="run the embedded Kafka-protocol broker (Tansu)")
    broker.add_argument("--port", type=int, default=9092)
    broker.set_defaults(func=cmd_broker)
    docs = subparsers.add_parser("docs", help="write each service's OpenAPI and AsyncAPI documents to docs/")
    docs.add_argument("--out", type=Path, default=Path("docs"))
    docs.set_defaults(func=cmd_docs)
    migrate = subparsers.add_parser("migrate", help="bring a service's store to the newest schema")
    migrate.add_argument("service", choices=sorted(processes.SERVICES))
    migrate.set_defaults(func=cmd_migrate)
    rebuild = subparsers.add_parser(
        "rebuild", help="rebuild reporting's read model by replaying the topics (stop the service first)"
    )
    rebuild.add_argument("service", choices=["reporting"])
    rebuild.set_defaults(func=cmd_rebuild)


def _service_module(name: str) -> Any:
    return importlib.import_module(f"services.{name}.app")


def _service_app(name: str) -> ServiceApp:
    """The service's app as its composition root builds it (not started)."""
    from dondoc.platform.app import ServiceApp

    app = _service_module(name).create_app()
    if not isinstance(app, ServiceApp):
        raise TypeError(f"services.{name}.app.create_app() does not build a service app")
    return app


# uvicorn's C event loop and HTTP parser (ADR 0123): the same server `bench_intake.py`'s baseline runs on.
SERVER_LOOP, SERVER_HTTP = "uvloop", "httptools"


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from dondoc.platform import logs

    app = _service_app(args.service)
    settings = app.settings
    logs.configure(settings.service_name, settings.log_level, settings.log_repeat_summary_seconds)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        loop=SERVER_LOOP,
        http=SERVER_HTTP,
        log_config=None,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )
    return 0


def render_docs() -> dict[str, str]:
    """Relative path → JSON text of every service's OpenAPI and AsyncAPI document."""
    import json

    from dondoc.platform.asyncapi import asyncapi_document

    out: dict[str, str] = {}
    for name in processes.SERVICES:
        app = _service_app(name)
        out[f"openapi/{name}.json"] = json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True)
        document = asyncapi_document(app.spec, app.settings)
        out[f"asyncapi/{name}.json"] = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return out


def cmd_docs(args: argparse.Namespace) -> int:
    for relative, text in render_docs().items():
        path = args.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from dondoc.platform import migrations

    app = _service_app(args.service)
    migrations.upgrade(app.spec.migrations, app.settings.database_url)
    print(f"{args.service}: schema up to date ({app.settings.database_url})")
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from services.reporting.cli import rebuild
    from services.reporting.settings import ReportingSettings

    settings = ReportingSettings()
    outcome = asyncio.run(rebuild(settings.database_url, settings.kafka_bootstrap))
    for topic, count in sorted(outcome.applied.items()):
        print(f"{topic}: {count} events replayed")
    if outcome.dead_lettered:
        print(f"{outcome.dead_lettered} unreadable events were dead-lettered again")
    return 0


STARTUP_SECONDS = 180.0


def cmd_broker(args: argparse.Namespace) -> int:
    """Become Tansu (exec): SIGTERM, SIGKILL and Ctrl-C reach the broker itself, nothing is left behind."""
    try:
        processes.refuse_taken("127.0.0.1", args.port)
    except processes.PortTaken as taken:
        print(f"error: {taken}", file=sys.stderr)
        return 1
    print(f"broker on 127.0.0.1:{args.port} (memory storage); Ctrl-C stops it", flush=True)
    command = processes.tansu_command(args.port)
    os.execv(command[0], command)


def _admin_token(var: Path) -> str:
    if token := os.environ.get("DONDOC_ADMIN_TOKEN"):
        return token
    path = var / "admin-token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def development_environment(var: Path) -> dict[str, str]:
    """`make run`'s development defaults: plain HTTP on loopback, which production settings refuse.

    Each is a setting whose production default is the safe one; a variable already in the environment wins.
    """
    defaults = {
        # The dashboard is served over http://127.0.0.1, where a Secure cookie would never come back.
        "DASHBOARD_SECURE_COOKIE": "false",
        # The same for the people's workspace in intake (docs/adr/0060).
        "WORKSPACE_SECURE_COOKIE": "false",
        # A ward's test receiver on this machine (http://127.0.0.1:…); production sends to public https only.
        "NOTIFY_WEBHOOK_ALLOW_LOOPBACK": "true",
    }
    # Notify stores units' webhook secrets encrypted under this key (kept in var/ like the admin token).
    defaults["NOTIFY_SECRETS_KEYS"] = _kept_secret(var / "notify-secrets-key", _fernet_key)
    return {name: value for name, value in defaults.items() if name not in os.environ}


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _kept_secret(path: Path, generate: Callable[[], str]) -> str:
    """The secret kept in `path`, generated (readable by its owner only) the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(generate())
    return path.read_text().strip()


def cmd_up(args: argparse.Namespace) -> int:
    """Start everything on the embedded defaults; Ctrl-C (or SIGTERM) stops it all cleanly.

    Every child is tied to this process (parent-death signal), so even a SIGKILL of `dondoc up` leaves
    no broker or service running.
    """
    var: Path = args.var
    var.mkdir(parents=True, exist_ok=True)
    ports = {name: args.http_port_base + i for i, name in enumerate(processes.SERVICES)}
    # Ctrl-C and SIGTERM interrupt wherever we are, start-up included; the cleanup below runs either way.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    broker: processes.Broker | None = None
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        bootstrap = os.environ.get("KAFKA_BOOTSTRAP")
        if not bootstrap:
            try:
                broker = processes.start_broker(args.broker_port, var / "broker.log", die_with_parent=True)
            except processes.PortTaken as taken:
                print(f"error: {taken}; or set KAFKA_BOOTSTRAP", file=sys.stderr)
                return 1
            bootstrap = broker.bootstrap
        return _run_services(var, bootstrap, ports, children, embedded=broker is not None)
    except KeyboardInterrupt:
        return 0
    finally:
        # A second Ctrl-C must not cut the cleanup short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("stopping…", flush=True)
        for child in children.values():
            child.terminate()
        for child in children.values():
            processes.stop_process(child)
        if broker is not None:
            broker.stop()


def _run_services(
    var: Path,
    bootstrap: str,
    ports: dict[str, int],
    children: dict[str, subprocess.Popen[bytes]],
    embedded: bool,
) -> int:
    from dondoc.platform.kafka import ensure_topics
    from shared.topics import ALL_TOPICS

    asyncio.run(ensure_topics(bootstrap, ALL_TOPICS, partitions=3))
    token = _admin_token(var)
    development = development_environment(var)
    for name, port in ports.items():
        env = {
            "KAFKA_BOOTSTRAP": bootstrap,
            "HTTP_PORT": str(port),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "DONDOC_ADMIN_TOKEN": token,
            **development,
        }
        if "DATABASE_URL" not in os.environ:
            env["DATABASE_URL"] = f"sqlite:///{var.resolve()}/{name}.db"
        if name != "intake":  # revocations learnt from intake directly, not over the bus (ADR 0032)
            env.setdefault("REVOCATIONS_URL", f"http://127.0.0.1:{ports['intake']}")
        # Where people are sent: notices link to the workspace, which hands over to the dashboard (ADR 0091).
        for service, variable in (("intake", "INTAKE_PUBLIC_URL"), ("reporting", "REPORTING_PUBLIC_URL")):
            if variable not in os.environ and service in ports:
                env[variable] = f"http://127.0.0.1:{ports[service]}"
        children[name] = processes.start_service(name, env, var / f"{name}.log", die_with_parent=True)
    for name, port in ports.items():
        # A first start on a slow or busy machine imports, migrates and joins for a while: three minutes
        # before calling it a failure, rather than stopping a system that was about to answer.
        processes.wait_healthy(f"http://127.0.0.1:{port}", children[name], timeout=STARTUP_SECONDS)
    _print_where(bootstrap, var, embedded, ports)
    while True:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with {child.returncode}; see {var / (name + '.log')}", file=sys.stderr)
                return 1
        time.sleep(0.3)


def _print_where(bootstrap: str, var: Path, embedded: bool, ports: dict[str, int]) -> None:
    print("dondoc is up:")
    print(f"  broker     {bootstrap}{' (embedded Tansu, memory storage)' if embedded else ''}")
    for name, port in ports.items():
        print(f"  {name:<10} http://127.0.0.1:{port}  (API /openapi.json with a key, metrics /metrics)")
    print(f"  dashboard  http://127.0.0.1:{ports['reporting']}/dashboard")
    workspace = f"http://127.0.0.1:{ports['intake']}/workspace"
    print(f"  workspace  {workspace}  (people: dondoc people add --username … --unit …)")
    print(f"  stores     {var.resolve()}/*.db, logs {var.resolve()}/*.log")
    print(f"  admin key  {var.resolve() / 'admin-token'} (Authorization: Bearer <token>)")
    print("Ctrl-C stops everything.")

"""The image build uses only files the build context sends, and kafka-init creates what it promises."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import subprocess
from pathlib import Path

from dondoc.platform.epoch import EPOCH_TOPIC
from tests.support.deploy.catalog import REPO, TOPICS

DOCKERFILE = REPO / "Dockerfile"


def dockerignore_excludes(path: str) -> bool:
    """Docker's rule: the last matching pattern wins, `!` re-includes; a directory covers its files."""
    excluded = False
    for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/").removeprefix("**/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(
            fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p.rsplit("/", 1)[-1], pattern) for p in prefixes
        ):
            excluded = not negate
    return excluded


def copied_sources() -> list[str]:
    sources = []
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line) if line.startswith("COPY ") else []
        if words and not any(w.startswith("--from") for w in words):
            sources.extend(words[1:-1])
    return sources


def test_everything_the_image_copies_exists_and_reaches_the_build_context() -> None:
    sources = copied_sources()
    assert {"pyproject.toml", "uv.lock", "dondoc", "services", "shared"} <= set(sources)
    for source in sources:
        assert (REPO / source).exists(), source
        assert not dockerignore_excludes(source), f"{source} is excluded by .dockerignore"


def test_the_build_context_leaves_out_local_state_and_secrets() -> None:
    for path in [".git/config", ".venv/bin/python", "var/dondoc.db", "tests/conftest.py", ".env"]:
        assert dockerignore_excludes(path), path
    assert dockerignore_excludes("dondoc/__pycache__/cli.cpython-311.pyc")


def test_the_image_runs_dondoc_as_an_unprivileged_user_with_a_python_healthcheck() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim AS build$", text, re.MULTILINE)
    assert "uv sync --frozen --no-dev" in text
    user = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    assert 'ENTRYPOINT ["dondoc"]' in text and 'CMD ["serve", "intake"]' in text
    healthcheck = re.search(r'CMD \["python", "-c", "(.*)"\]\s*$', text, re.MULTILINE)
    assert healthcheck and "/health" in healthcheck.group(1)
    compile(healthcheck.group(1), "HEALTHCHECK", "exec")  # the check itself is valid Python


def option(command_line: str, prefix: str) -> str:
    found = re.search(re.escape(prefix) + r"(\S+)", command_line)
    assert found, f"{prefix!r} missing from {command_line!r}"
    return found.group(1)


def test_kafka_init_creates_each_topic_idempotently_with_its_partitions(tmp_path: Path) -> None:
    # Stand-ins for Kafka's CLI tools that record how they were called.
    calls = tmp_path / "calls.log"
    for tool in ["kafka-topics.sh", "kafka-configs.sh"]:
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
        stub.chmod(0o755)
    env = os.environ | {"KAFKA_BIN": str(tmp_path), "KAFKA_BOOTSTRAP": "broker.test:9092"}
    script = REPO / "deploy" / "kafka" / "create-topics.sh"
    subprocess.run(["bash", script], env=env, check=True, capture_output=True, timeout=30)

    creates = [line for line in calls.read_text().splitlines() if "--create" in line]
    created = {option(line, "--topic "): line for line in creates}
    assert set(created) == TOPICS | {EPOCH_TOPIC} and len(creates) == len(TOPICS) + 1
    # the broker-epoch marker is never deleted, or a broker keeping its log would look like one that forgot
    assert "--partitions 1" in created[EPOCH_TOPIC] and "retention.ms=-1" in created[EPOCH_TOPIC]
    del created[EPOCH_TOPIC]
    assert all(
        "--if-not-exists" in line and "--bootstrap-server broker.test:9092" in line for line in creates
    )
    assert "--partitions 6" in created["task.assigned"]
    assert "--partitions 3" in created["report.due"]
    retention = {topic: int(option(line, "retention.ms=")) for topic, line in created.items()}
    assert retention["plan.received"] >= 365 * 86_400_000 > retention["deadline.near"]

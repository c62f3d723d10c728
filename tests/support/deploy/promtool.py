"""Finding and running promtool and prometheus, which the ops tests need as real programs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL_HINT = (
    "`make test` installs it (apt-get install -y --no-install-recommends prometheus, Debian's package "
    "ships /usr/bin/promtool and /usr/bin/prometheus)"
)


def require_program(name: str) -> str:
    """The path of a program the test cannot do without; fail, not skip, when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not on PATH: {INSTALL_HINT}")
    return path


def run_promtool(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run promtool with the given arguments and capture what it says."""
    command = [require_program("promtool"), *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)

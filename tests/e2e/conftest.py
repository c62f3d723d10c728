"""The whole system as `make run` starts it, for the end-to-end tests: one per test, or one per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.system import System, run_system


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    yield from run_system(tmp_path)


@pytest.fixture(scope="module")
def shared_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One running system for a whole module (for tests that only read, or write without asserting counts)."""
    yield from run_system(tmp_path_factory.mktemp("system"))

"""The anatomy in docs/architecture.md is a checked fact: every service's rooms, and the import rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

SERVICES = ("intake", "tasks", "reporting", "notify")

# Every service's rooms (docs/architecture.md says what each holds). A service has the rooms it needs.
MODULES = {
    "__init__.py",
    "app.py",
    "settings.py",
    "context.py",
    "metrics.py",
    "models.py",
    "schemas.py",
    "consumers.py",
    "projections.py",
    "queries.py",
    "jobs.py",
    "cli.py",
    "directory.py",
}
PACKAGES = {"http", "web", "use_cases", "domain", "migrations"}
# A room that grows becomes a package of the same name (intake's `cli/`, `projections/`).
PACKAGES |= {name.removesuffix(".py") for name in MODULES}
REQUIRED = {"__init__.py", "app.py", "settings.py", "context.py", "models.py", "consumers.py"}
REQUIRED |= {"http", "use_cases", "migrations"}
# Adapters one service alone has, named for what they translate (docs/architecture.md, "Adapters").
OWN = {
    "intake": {"parsing", "directory_store.py"},
    "reporting": {"documents"},
    "notify": {"channels", "templates", "README.md"},
    "tasks": set(),
}


def _entries(service: str) -> set[str]:
    return {p.name for p in (ROOT / "services" / service).iterdir() if p.name != "__pycache__"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_rooms(service: str) -> None:
    entries = _entries(service)
    assert entries >= REQUIRED, f"services/{service} lacks {sorted(REQUIRED - entries)}"
    strangers = entries - MODULES - PACKAGES - OWN[service]
    assert not strangers, f"services/{service}: {sorted(strangers)} is in no room of docs/architecture.md"


# Folders of data, not code: templates, static files, Alembic's scripts, calendars.
NOT_CODE = {"templates", "static", "migrations", "data"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_folder_is_a_package_with_a_docstring(service: str) -> None:
    base = ROOT / "services" / service
    for folder in base.rglob("*"):
        skipped = NOT_CODE & set(folder.relative_to(base).parts) or folder.name == "__pycache__"
        if not folder.is_dir() or skipped:
            continue
        init = folder / "__init__.py"
        assert init.exists(), f"{folder.relative_to(ROOT)} is not a package"
        assert ast.get_docstring(ast.parse(init.read_text())), f"{init.relative_to(ROOT)} has no docstring"


def test_the_composition_root_is_app_create_app() -> None:
    for service in SERVICES:
        tree = ast.parse((ROOT / "services" / service / "app.py").read_text())
        names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert "create_app" in names, f"services/{service}/app.py has no create_app"


def test_import_rules_hold() -> None:
    """`.importlinter`: no service imports another, shared/ none, domain/ no framework, broker or store."""
    # In a process of its own: import-linter configures logging with `dictConfig`, which disables every
    # logger that exists already, and the tests that run after this one in the same worker then heard
    # nothing from dondoc's loggers (the relay's, the job runner's: flaky failures under xdist).
    linter = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(linter), str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"an import rule is broken:\n{done.stdout}{done.stderr}"


def test_every_test_folder_is_a_package() -> None:
    """So each test module has one dotted name and shared builders import as `tests.…`, never by file name."""
    data = {"fixtures", "snapshots", "__pycache__"}
    for folder in (ROOT / "tests").rglob("*"):
        if folder.is_dir() and not data & set(folder.relative_to(ROOT).parts):
            assert (folder / "__init__.py").exists(), f"{folder.relative_to(ROOT)} is not a package"


# The tests mirror the source (docs/adr/0006-tests-mirror-the-source.md): one folder per room, each split
# into unit/ and integration/; the whole system in e2e/; shared helpers in support/.
TESTED_ROOMS = {*SERVICES, "platform", "kernel", "directory", "contracts", "deploy"}
KINDS = {"unit", "integration"}
NOT_ROOMS = {"e2e", "support", "fixtures", "tools", "__pycache__"}


def _python_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]


def test_the_tests_mirror_the_source() -> None:
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir()}
    assert folders - NOT_ROOMS == TESTED_ROOMS, f"tests/ holds {sorted(folders - NOT_ROOMS - TESTED_ROOMS)}"
    for room in TESTED_ROOMS:
        entries = {p.name for p in (ROOT / "tests" / room).iterdir()} - {"__init__.py", "__pycache__"}
        strangers = entries - KINDS
        assert entries and not strangers, f"tests/{room}: {sorted(strangers)} is not unit/ or integration/"


def test_test_folders_hold_only_tests_and_fixtures() -> None:
    """A helper two test modules share lives in tests/support/, where the next test finds it."""
    for room in [*TESTED_ROOMS, "e2e"]:
        for path in _python_files(ROOT / "tests" / room):
            name = path.name
            assert name in {"__init__.py", "conftest.py"} or name.startswith("test_"), (
                f"{path.relative_to(ROOT)} is a helper: it belongs in tests/support/"
            )


def test_no_test_module_imports_another() -> None:
    """Shared helpers are imported from tests/support/, so a test module can move without breaking another."""
    for path in _python_files(ROOT / "tests"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                parts = node.module.split(".") + [alias.name for alias in node.names]
                tests = [p for p in parts if p.startswith("test_")]
                assert not tests, f"{path.relative_to(ROOT)} imports {node.module}: use tests/support"


def _is_fixture(node: ast.FunctionDef) -> bool:
    def named(decorator: ast.expr) -> str:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return ast.unparse(target)

    return any(named(d) in {"pytest.fixture", "fixture"} for d in node.decorator_list)


def test_conftests_hold_only_fixtures() -> None:
    for path in (ROOT / "tests").rglob("conftest.py"):
        for node in ast.parse(path.read_text()).body:
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            assert not isinstance(node, ast.ClassDef | ast.AsyncFunctionDef), f"{where}: a helper"
            if isinstance(node, ast.FunctionDef):
                assert _is_fixture(node) or node.name.startswith("pytest_"), f"{where}: a helper"

"""Loading docker-compose.yml the way `docker compose config` would, for the ops tests."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import cast

import yaml

from tests.support.deploy.catalog import REPO
from tests.support.deploy.interpolate import YamlValue, interpolate_tree

COMPOSE_FILE = REPO / "docker-compose.yml"
SCHEMA_FILE = REPO / "tests" / "fixtures" / "compose-spec" / "compose-spec.json"

Document = dict[str, YamlValue]


def compose_text() -> str:
    """The compose file as committed."""
    return COMPOSE_FILE.read_text(encoding="utf-8")


def referenced_variables(text: str) -> set[str]:
    """Names of every ${VAR...} or $VAR the text refers to ($$ is an escaped dollar)."""
    return set(re.findall(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)", text.replace("$$", "")))


def required_variables(text: str) -> set[str]:
    """Names the file refers to as ${VAR:?message} or ${VAR?message}: compose refuses to run without them."""
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", text.replace("$$", "")))


def dummy_env(text: str) -> dict[str, str]:
    """A value for every required variable, as an operator's .env would give; the rest keep defaults."""
    return {name: f"dummy-{name.lower()}" for name in required_variables(text)}


def load_compose(env: Mapping[str, str] | None = None) -> Document:
    """The compose document after interpolation (merge keys resolved by the YAML loader)."""
    text = compose_text()
    raw = yaml.safe_load(text)
    return cast(Document, interpolate_tree(raw, dummy_env(text) if env is None else env))


@lru_cache(maxsize=1)
def compose_schema() -> dict[str, object]:
    """The Compose Specification JSON schema committed under tests/fixtures."""
    return cast(dict[str, object], json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def services(document: Document) -> dict[str, dict[str, YamlValue]]:
    """The services section, typed for the tests."""
    return cast(dict[str, dict[str, YamlValue]], document["services"])


def environment(service: Mapping[str, YamlValue]) -> dict[str, str]:
    """A service's environment as a dict of strings, whichever of the two Compose forms it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(str(item).partition("=")[::2] for item in env)
    pairs = cast(dict[str, YamlValue], env).items()
    return {key: "" if value is None else str(value) for key, value in pairs}

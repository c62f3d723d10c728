"""Compose-style interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$."""

from __future__ import annotations

import re
from collections.abc import Mapping

_PATTERN = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<plain>[A-Za-z_][A-Za-z0-9_]*)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<invalid>))"
)

YamlValue = str | int | float | bool | None | list["YamlValue"] | dict[str, "YamlValue"]


class MissingVariableError(ValueError):
    """A ${VAR:?message} or ${VAR?message} whose variable is unset (or empty, for :?)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Substitute variables in one string the way Compose does."""

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped") is not None:
            return "$"
        if match.group("plain") is not None:
            return env.get(match.group("plain"), "")
        name = match.group("braced")
        if name is None:
            raise ValueError(f"invalid interpolation at {match.start()} in {text!r}")
        op, arg = match.group("op"), match.group("arg") or ""
        value = env.get(name)
        unset = value is None or (op is not None and op.startswith(":") and value == "")
        if op is None or not unset:
            return value or ""
        if op.endswith("-"):
            return arg
        raise MissingVariableError(name, arg)

    return _PATTERN.sub(replace, text)


def interpolate_tree(value: YamlValue, env: Mapping[str, str]) -> YamlValue:
    """Interpolate every string value of a loaded YAML document (keys are left as they are)."""
    if isinstance(value, str):
        return interpolate(value, env)
    if isinstance(value, list):
        return [interpolate_tree(item, env) for item in value]
    if isinstance(value, dict):
        return {key: interpolate_tree(item, env) for key, item in value.items()}
    return value

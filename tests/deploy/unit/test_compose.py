"""docker-compose.yml is a valid Compose file and refuses to start without its secrets."""

from __future__ import annotations

import copy
import re

import jsonschema
import pytest

from tests.support.deploy.compose_file import (
    compose_schema,
    compose_text,
    dummy_env,
    load_compose,
    referenced_variables,
    services,
)
from tests.support.deploy.interpolate import MissingVariableError, interpolate


def validator() -> jsonschema.Draft201909Validator:
    # The schema names draft 2019-09 with a $schema URI jsonschema does not recognise, so say it here.
    schema = compose_schema()
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


def test_the_compose_file_follows_the_compose_specification() -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(load_compose())]
    assert errors == []


def test_the_schema_rejects_a_misspelt_service_key() -> None:
    # Proves the validation above has teeth: the schema forbids keys it does not know.
    document = copy.deepcopy(load_compose())
    services(document)["tasks"]["healthchek"] = services(document)["tasks"].pop("healthcheck")
    assert not validator().is_valid(document)


@pytest.mark.parametrize(
    "variable",
    sorted(name for name in referenced_variables(compose_text()) if re.search("PASSWORD|SECRET|TOKEN", name)),
)
def test_compose_refuses_to_start_without_each_secret(variable: str) -> None:
    env = dummy_env(compose_text())
    env.pop(variable, None)
    with pytest.raises(MissingVariableError) as raised:
        load_compose(env)
    assert raised.value.name == variable
    assert raised.value.message  # the operator is told what to set


def test_an_empty_secret_counts_as_missing() -> None:
    env = dummy_env(compose_text()) | {"DONDOC_ADMIN_TOKEN": ""}
    with pytest.raises(MissingVariableError):
        load_compose(env)


def test_no_secret_has_a_default_value() -> None:
    defaults = re.findall(r"\$\{(\w*(?:PASSWORD|SECRET|TOKEN)\w*):?-", compose_text())
    assert defaults == []


def test_the_smtp_catcher_runs_only_in_the_dev_profile() -> None:
    every = services(load_compose())
    catchers = {name: svc for name, svc in every.items() if "mailpit" in str(svc.get("image"))}
    assert catchers, "no SMTP catcher in the compose file"
    assert all(svc.get("profiles") == ["dev"] for svc in catchers.values())


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A}", {"A": "1"}, "1"),
        ("${A:-x}", {}, "x"),
        ("${A:-x}", {"A": ""}, "x"),
        ("${A-x}", {"A": ""}, ""),
        ("$A/$$B", {"A": "1"}, "1/$B"),
        ("${A:?need a}", {"A": "v"}, "v"),
    ],
)
def test_interpolation_follows_compose_rules(text: str, env: dict[str, str], expected: str) -> None:
    assert interpolate(text, env) == expected


def test_interpolation_rejects_a_required_variable_left_unset() -> None:
    with pytest.raises(MissingVariableError, match="need a"):
        interpolate("x ${A?need a} y", {})

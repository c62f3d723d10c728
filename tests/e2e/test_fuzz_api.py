"""Fuzzing every HTTP API from its OpenAPI document (schemathesis) against the running services.

Whatever a client sends, the answer is never a 5xx and never contradicts the documented schema.
The documents are the ones in docs/openapi/, which a unit test keeps equal to what the code serves.
Each run draws a new seed (a fixed seed found issue 14.17 only once changed) and prints it; replay a failure
with `FUZZ_SEED=<seed> pytest tests/e2e/test_fuzz_api.py`.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.support import ADMIN_TOKEN, ROOT
from tests.support.system import System

pytestmark = pytest.mark.e2e
DOCS = ROOT / "docs" / "openapi"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SERVICES = ("intake", "tasks", "reporting", "notify")
EXAMPLES = 15


def fuzz_seed() -> int:
    """The seed of this run: FUZZ_SEED when replaying, a fresh one otherwise."""
    return int(os.environ.get("FUZZ_SEED") or random.SystemRandom().getrandbits(64))


@pytest.mark.parametrize("service", SERVICES)
def test_no_request_gets_a_server_error_or_an_undocumented_shape(shared_system: System, service: str) -> None:
    run_seed = fuzz_seed()
    print(f"fuzz seed for {service}: {run_seed} (replay: FUZZ_SEED={run_seed})")
    schema = schemathesis.openapi.from_path(DOCS / f"{service}.json")
    base_url = shared_system.url(service)
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        assert not isinstance(result, Err), f"{service}.json: {result.err()}"
        operation = result.ok()

        @seed(run_seed)
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(operation.as_strategy())
        def check(case: schemathesis.Case[Any]) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(
                base_url=base_url,
                headers=AUTH,
                timeout=15,
                checks=[not_a_server_error, response_schema_conformance],
            )

        try:
            check()
        except Exception as exc:  # report every operation's failure together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    assert calls >= len(list(schema.get_all_operations())), "the fuzzer sent fewer requests than operations"
    assert not failures, f"FUZZ_SEED={run_seed}\n\n" + "\n\n".join(failures)

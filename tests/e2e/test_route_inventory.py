"""Security by default: every route of every service, called without a credential, is refused.

The inventory is taken from the apps themselves (all routes, documented or not), and each route is called
on the running services with every method it accepts.
"""

from __future__ import annotations

import importlib
import re

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from tests.support.system import System

pytestmark = pytest.mark.e2e
PUBLIC = {"/health", "/ready", "/metrics"}
# The dashboard's and the workspace's sign-in pages and the files they need must be reachable to sign in;
# so must the dashboard's hand-over, which signs a person in with the token the workspace gave (ADR 0091).
SIGN_IN = re.compile(r"^/(dashboard|workspace)/(login|logout)$|^/dashboard/handover$|^(/workspace)?/static/")


def _walk(routes: list[object], prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI keeps included routers nested
            context = getattr(route, "include_context", None)
            found += _walk(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute | Route):
            path = re.sub(r"\{[^}]+\}", "x", prefix + route.path)
            found += [(method, path) for method in sorted(route.methods or {"GET"}) if method != "HEAD"]
        elif isinstance(route, Mount):
            found.append(("GET", prefix + route.path.rstrip("/") + "/x"))
    return found


def inventory(service: str) -> list[tuple[str, str]]:
    app = importlib.import_module(f"services.{service}.app").create_app()
    return _walk(list(app.routes), "")


@pytest.mark.parametrize("service", ["intake", "tasks", "reporting", "notify"])
def test_no_route_but_health_readiness_and_metrics_answers_without_a_credential(
    shared_system: System, service: str
) -> None:
    routes = inventory(service)
    assert len(routes) > 5
    open_routes = []
    for method, path in routes:
        answer = httpx.request(method, shared_system.url(service) + path, timeout=10, follow_redirects=False)
        public = path in PUBLIC or bool(SIGN_IN.match(path))
        if public:
            # /ready may say "not yet" (a consumer group still joining): 503 with Retry-After, by design
            not_yet = path == "/ready" and answer.status_code == 503 and "retry-after" in answer.headers
            assert answer.status_code < 500 or not_yet, (method, path, answer.status_code)
        elif answer.status_code not in (401, 303, 307):  # 303/307: a browser is sent to sign in first
            open_routes.append(f"{method} {path} → {answer.status_code}")
    assert not open_routes, open_routes
    for path in PUBLIC:
        assert httpx.get(shared_system.url(service) + path, timeout=10).status_code in (200, 503)

"""The authorisation matrix: every route of a service, called by every kind of caller, with what must happen.

A service's test declares one `Call` per route (or several) and what each caller must get; `walk` runs them
in order against the running app and checks, besides the status, that

* no answer is a 5xx,
* an answer to a unit's key names no unit that key may not act for (fields `unit` and `issuer_unit`),
* every write by a known caller left exactly one audit record in the service's own store: "accepted" for a
  2xx answer, "refused" otherwise, with the caller's key and the answer's status,
* a write without a valid credential was accepted by nobody, and left one "refused" record (401) all the same.

`uncovered` compares the matrix with the routes the app itself declares, so a new route without its
row in the matrix fails the test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from starlette.routing import Mount, Route

from dondoc.platform.auth import Principal, issue_key
from dondoc.platform.runtime import Runtime
from shared import topics
from shared.envelope import wrap
from shared.events import CredentialChanged
from tests.support import eventually, publish_raw

Caller = Literal["none", "revoked", "office", "other", "ward", "admin"]
# Refusals first, so that what the unit and the administrator then write is the only thing written.
CALLERS: tuple[Caller, ...] = ("none", "revoked", "office", "other", "ward", "admin")
# 200 with a non-empty list (the caller's own data is there), or 200 with an empty one (nothing leaks).
SOME: Final = "some"
NOTHING: Final = "nothing"
Outcome = int | Literal["some", "nothing"]


@dataclass(frozen=True)
class By:
    """What each kind of caller must get: no credential, a revoked key, the city administrator, the
    ward's own key, a key of one of the ward's offices, and another ward's key."""

    admin: Outcome
    ward: Outcome
    office: Outcome
    other: Outcome
    none: Outcome = 401
    revoked: Outcome = 401

    def of(self, caller: Caller) -> Outcome:
        outcome: Outcome = getattr(self, caller)
        return outcome


def everyone(outcome: Outcome) -> By:
    """The same for every caller, credential or not (health, readiness, metrics)."""
    return By(admin=outcome, ward=outcome, office=outcome, other=outcome, none=outcome, revoked=outcome)


def signed_in(outcome: Outcome) -> By:
    """The same for every authenticated caller."""
    return By(admin=outcome, ward=outcome, office=outcome, other=outcome)


@dataclass(frozen=True)
class AdminOnly(By):
    """A route for the city administrator alone: anyone else is refused before their body is even read."""


def admin_only(accepted: Outcome = 200) -> By:
    return AdminOnly(admin=accepted, ward=403, office=403, other=403)


# A body no route accepts: an admin route must refuse a ward for who it is (403), not for what it sent (422).
NOT_A_BODY: Final = {"không_phải_trường_nào": ["x" * 3000]}


@dataclass(frozen=True)
class Call:
    """One request of the matrix: a route as the app declares it, its concrete arguments, the outcomes."""

    method: str
    route: str
    by: By
    path_params: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] | None = None
    json: object | None = None

    @property
    def path(self) -> str:
        return self.route.format(**self.path_params)

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    def __str__(self) -> str:
        query = "?" + "&".join(f"{k}={v}" for k, v in self.params.items()) if self.params else ""
        return f"{self.method} {self.path}{query}"


@dataclass
class Keys:
    """Bearer headers and key ids of every kind of caller, and the principals behind them."""

    headers: dict[Caller, dict[str, str]]
    key_ids: dict[Caller, str | None]
    principals: dict[Caller, Principal | None]


def declared_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of every route the app declares, documented or not."""

    def walk(routes: list[object], prefix: str) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:  # FastAPI keeps included routers nested
                context = getattr(route, "include_context", None)
                found |= walk(included.routes, prefix + getattr(context, "prefix", ""))
            elif isinstance(route, APIRoute | Route):
                methods = route.methods or {"GET"}
                found |= {(m, prefix + route.path) for m in methods if m != "HEAD"}
            elif isinstance(route, Mount):  # static files: one row stands for every file below it
                found.add(("GET", prefix + route.path + "/{file}"))
            else:
                raise AssertionError(f"a route the matrix cannot read: {route!r}")
        return found

    return walk(list(app.routes), "")


def uncovered(app: FastAPI, calls: list[Call]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Routes of the app without a row in the matrix, and rows naming a route the app does not have."""
    declared = declared_routes(app)
    covered = {(c.method, c.route) for c in calls}
    return declared - covered, covered - declared


async def issue_keys(broker: str, runtime: Runtime, *, ward: str, office: str, other: str) -> Keys:
    """Keys issued the way intake issues them: `credential.changed` on the broker, replicated by the service.

    The revoked key is one of the ward's, issued yesterday and revoked (the same event again, with
    `revoked_at`) an hour ago.
    """
    issued_at = datetime.now(UTC) - timedelta(days=1)
    holders: dict[Caller, tuple[str | None, Literal["unit", "admin"]]] = {
        "ward": (ward, "unit"),
        "office": (office, "unit"),
        "other": (other, "unit"),
        "admin": (None, "admin"),
        "revoked": (ward, "unit"),
    }
    keys = Keys(headers={"none": {}}, key_ids={"none": None}, principals={"none": None})
    events: list[CredentialChanged] = []
    for caller, (unit, role) in holders.items():
        key = issue_key()
        issued = CredentialChanged(
            key_id=key.key_id,
            unit=unit,
            role=role,
            secret_hash=key.secret_hash,
            label=caller,
            created_at=issued_at,
        )
        events.append(issued)
        keys.headers[caller] = {"Authorization": f"Bearer {key.token}"}
        keys.key_ids[caller] = key.key_id
        keys.principals[caller] = Principal(key_id=key.key_id, unit=unit, role=role)
    events.append(events[-1].model_copy(update={"revoked_at": datetime.now(UTC) - timedelta(hours=1)}))
    keys.principals["revoked"] = None
    for event in events:  # keyed by unit, so a key's issue and its revocation stay in order
        envelope = wrap(event, source="intake", correlation_id=f"authz-{event.label}")
        await publish_raw(
            broker, topics.CREDENTIAL_CHANGED, envelope.to_bytes(), key=(event.unit or "HP").encode()
        )
    table = runtime.spec.tables.credentials
    query = select(func.count()).select_from(table).where(table.c.revoked_at.is_not(None))

    async def replicated() -> bool:
        async with runtime.engine.connect() as conn:
            total = (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            revoked = (await conn.execute(query)).scalar_one()
        return int(total) == len(holders) and int(revoked) == 1

    await eventually(replicated, what="the keys replicated from credential.changed")
    return keys


def units_named(answer: object) -> set[str]:
    """Every unit an answer names (fields `unit` and `issuer_unit`, at any depth)."""
    found: set[str] = set()
    if isinstance(answer, dict):
        for name, value in answer.items():
            if name in ("unit", "issuer_unit") and isinstance(value, str):
                found.add(value)
            else:
                found |= units_named(value)
    elif isinstance(answer, list):
        for item in answer:
            found |= units_named(item)
    return found


async def _audit_since(runtime: Runtime, after: int) -> list[tuple[int, str | None, str, int]]:
    audit = runtime.spec.tables.audit_log
    query = (
        select(audit.c.id, audit.c.key_id, audit.c.outcome, audit.c.status)
        .where(audit.c.id > after)
        .order_by(audit.c.id)
    )
    async with runtime.engine.connect() as conn:
        return [(r.id, r.key_id, r.outcome, r.status) for r in (await conn.execute(query)).all()]


async def _last_audit_id(runtime: Runtime) -> int:
    audit = runtime.spec.tables.audit_log
    async with runtime.engine.connect() as conn:
        return int((await conn.execute(select(func.coalesce(func.max(audit.c.id), 0)))).scalar_one())


def _status_problem(outcome: Outcome, answer: httpx.Response) -> str | None:
    if answer.status_code >= 500:
        return f"a server error {answer.status_code}"
    if outcome in (SOME, NOTHING):
        if answer.status_code != 200:
            return f"{answer.status_code}, expected 200 ({outcome})"
        body = answer.json()
        if not isinstance(body, list):
            return f"a {type(body).__name__}, expected a list"
        if outcome == SOME and not body:
            return "an empty list, expected the caller's own data"
        if outcome == NOTHING and body:
            return f"{len(body)} rows, expected none: {units_named(body) or body}"
        return None
    if answer.status_code != outcome:
        return f"{answer.status_code}, expected {outcome}: {answer.text[:200]}"
    return None


async def walk(client: httpx.AsyncClient, runtime: Runtime, keys: Keys, calls: list[Call]) -> list[str]:
    """Run the matrix in order (each call by every caller); every way it was not as declared."""
    problems: list[str] = []
    for call in calls:
        for caller in CALLERS:
            before = await _last_audit_id(runtime)
            answer = await client.request(
                call.method, call.path, params=call.params, json=call.json, headers=keys.headers[caller]
            )
            where = f"{call} by {caller}"
            if problem := _status_problem(call.by.of(caller), answer):
                problems.append(f"{where}: {problem}")
            principal = keys.principals[caller]
            if answer.is_success and principal is not None and not principal.is_admin:
                try:
                    body = answer.json()
                except ValueError:
                    body = None
                foreign = {u for u in units_named(body) if not principal.may_act_for(u)}
                if foreign:
                    problems.append(f"{where}: the answer names units of another ward: {sorted(foreign)}")
            if call.writes:
                problems += _audit_problems(where, await _audit_since(runtime, before), keys, caller, answer)
        if call.writes and isinstance(call.by, AdminOnly):
            problems += await _refused_before_the_body(client, runtime, keys, call)
    return problems


async def _refused_before_the_body(
    client: httpx.AsyncClient, runtime: Runtime, keys: Keys, call: Call
) -> list[str]:
    """A ward sending an admin route a body it would not even accept is refused as a ward: 403, audited."""
    before = await _last_audit_id(runtime)
    answer = await client.request(call.method, call.path, json=NOT_A_BODY, headers=keys.headers["ward"])
    where = f"{call} by ward with a body no route accepts"
    problems = [f"{where}: {p}"] if (p := _status_problem(403, answer)) else []
    return problems + _audit_problems(where, await _audit_since(runtime, before), keys, "ward", answer)


def _audit_problems(
    where: str,
    rows: list[tuple[int, str | None, str, int]],
    keys: Keys,
    caller: Caller,
    answer: httpx.Response,
) -> list[str]:
    if keys.principals[caller] is None:
        # turned away before the route ran, and audited all the same (no key to name)
        found = [(key_id, got, status) for _, key_id, got, status in rows]
        expected_none = [(None, "refused", answer.status_code)]
        return [] if found == expected_none else [f"{where}: audit records {found}, expected {expected_none}"]
    outcome = "accepted" if answer.is_success else "refused"
    expected = (keys.key_ids[caller], outcome, answer.status_code)
    found = [(key_id, got, status) for _, key_id, got, status in rows]
    if found != [expected]:
        return [f"{where}: audit records {found}, expected exactly {[expected]}"]
    return []

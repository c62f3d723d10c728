"""Who is calling: API keys per unit (hashed at rest), a bootstrap admin token, and what each may act for.

Routes depend on `Principal` only, so OAuth2 client credentials can be added later as another
authenticator reading the same `Authorization: Bearer` header, without changing any route.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from dondoc.kernel.clock import SYSTEM_CLOCK, as_utc
from dondoc.kernel.units import within
from dondoc.platform.db import reading
from dondoc.platform.tables import PlatformTables

Role = Literal["unit", "admin"]
TOKEN_PREFIX = "dd_"
BOOTSTRAP_ADMIN = "bootstrap-admin"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a unit's key (acting for the unit and its offices) or a city administrator."""

    key_id: str
    unit: str | None
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_act_for(self, unit: str | None) -> bool:
        """A key acts for its own unit and that unit's offices (codes `<unit>.<office>`), never another's;
        the city administrator acts for every unit (and for what belongs to no unit: `None`)."""
        if self.is_admin:
            return True
        return unit is not None and self.unit is not None and within(unit, self.unit)

    def may_compile(self, issuer: str | None, recipients: Iterable[str]) -> bool:
        """Who sees a plan's city-level figures: the city administrator, the plan's issuer (and its
        offices), and the units the plan's reports are sent to (the compiler, e.g. Sở Tư pháp)."""
        return self.may_act_for(issuer) or (self.unit is not None and self.unit in set(recipients))


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    token: str
    secret_hash: str


def hash_secret(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_key() -> IssuedKey:
    """A new API key; only its hash is ever stored."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return IssuedKey(key_id=key_id, token=f"{TOKEN_PREFIX}{key_id}_{secret}", secret_hash=hash_secret(secret))


def _split(token: str) -> tuple[str, str] | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    key_id, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    return (key_id, secret) if sep and key_id and secret else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


_UNAUTHORIZED = "Thiếu hoặc sai khóa truy cập (API key). Hãy gửi tiêu đề Authorization: Bearer <khóa>."
_UNVERIFIED = (
    "Hệ thống tạm thời không xác minh được khóa truy cập (chưa cập nhật được danh sách khóa thu hồi). "
    "Vui lòng thử lại sau ít giây."
)
_REVOKED = "Khóa truy cập này đã bị thu hồi. Hãy liên hệ quản trị viên để được cấp khóa mới."


# How long a key looked up in the store is trusted without looking again (ADR 0051). A revocation made by
# this process, or learnt by its revocation watch, clears the cache at once; one made elsewhere (another
# instance on the same store, a `credential.changed` from the bus) is seen within this bound.
CREDENTIAL_CACHE_SECONDS = 1.0
_CACHE_LIMIT = 10_000  # distinct keys remembered at most; past it the cache starts again empty


class CredentialCache:
    """The credentials rows this service looked up in the last `ttl` seconds, by key id (found ones only)."""

    def __init__(self, ttl: float = CREDENTIAL_CACHE_SECONDS) -> None:
        self._ttl = ttl
        self._rows: dict[str, tuple[float, Any]] = {}

    def get(self, key_id: str) -> Any | None:
        found = self._rows.get(key_id)
        if found is None:
            return None
        if time.monotonic() - found[0] > self._ttl:
            del self._rows[key_id]
            return None
        return found[1]

    def put(self, key_id: str, row: Any) -> None:
        if len(self._rows) >= _CACHE_LIMIT:
            self._rows.clear()
        self._rows[key_id] = (time.monotonic(), row)

    def clear(self) -> None:
        """Forget every key: a credential was issued, changed or revoked."""
        self._rows.clear()


class Authenticator:
    """Checks a token against the bootstrap admin token and the service's credentials table."""

    def __init__(
        self,
        engine: AsyncEngine,
        tables: PlatformTables,
        admin_token: str | None,
        fresh: Callable[[], bool] | None = None,
        cache: CredentialCache | None = None,
    ) -> None:
        self._engine = engine
        self._table = tables.credentials
        self._admin_token = admin_token
        # Whether this service's list of revoked keys is recent enough to trust (dondoc.platform.revocations).
        self._fresh = fresh
        self._cache = cache

    async def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise HTTPException(401, _UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
        if self._admin_token and hmac.compare_digest(token.encode(), self._admin_token.encode()):
            return Principal(key_id=BOOTSTRAP_ADMIN, unit=None, role="admin")
        parts = _split(token)
        if parts is None:
            raise HTTPException(401, _UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
        key_id, secret = parts
        row = self._cache.get(key_id) if self._cache is not None else None
        if row is None:
            row = await self._lookup(key_id)
            if row is not None and self._cache is not None:
                self._cache.put(key_id, row)
        if row is None or not hmac.compare_digest(row.secret_hash, hash_secret(secret)):
            raise HTTPException(401, _UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
        if row.revoked_at is not None and as_utc(row.revoked_at) <= SYSTEM_CLOCK.now():
            raise HTTPException(401, _REVOKED, headers={"WWW-Authenticate": "Bearer"})
        if self._fresh is not None and not self._fresh():
            raise HTTPException(503, _UNVERIFIED, headers={"Retry-After": "5"})
        return Principal(key_id=key_id, unit=row.unit, role=row.role)

    async def _lookup(self, key_id: str) -> Any | None:
        t = self._table
        async with reading(self._engine) as conn:
            return (
                await conn.execute(
                    select(t.c.unit, t.c.role, t.c.secret_hash, t.c.revoked_at).where(t.c.key_id == key_id)
                )
            ).first()

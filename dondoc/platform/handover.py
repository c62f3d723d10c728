"""A person's hand-over from the workspace (intake) to the dashboard (reporting): a short-lived signed token.

People's accounts live in intake only (ADR 0060); the dashboard in reporting trusts a token intake signs
with a key both services derive from a shared secret, valid for a minute and used once (ADR 0091).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from dondoc.platform.auth import Principal, Role

LIFETIME = timedelta(seconds=60)
PERSON_PREFIX = "person:"
_LABEL = b"dondoc-dashboard-handover-v1"  # a key of its own, derived from the shared secret


@dataclass(frozen=True)
class Handover:
    """Who is handed over: the person, their unit (None for the city administrator) and role."""

    username: str
    name: str
    unit: str | None
    role: Role
    expires: float  # POSIX seconds
    nonce: str

    @property
    def principal(self) -> Principal:
        return Principal(key_id=person_key(self.username), unit=self.unit, role=self.role)


def person_key(username: str) -> str:
    """How a person is named in audit records, idempotency records and reviews."""
    return f"{PERSON_PREFIX}{username}"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(secret: str, username: str, name: str, unit: str | None, role: Role, now: datetime) -> str:
    """A token naming the person, valid for `LIFETIME` from `now`."""
    claims = Handover(username, name, unit, role, (now + LIFETIME).timestamp(), secrets.token_urlsafe(16))
    body = _b64(json.dumps(asdict(claims), ensure_ascii=False, separators=(",", ":")).encode())
    mac = hmac.new(_key(secret), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify(secret: str, token: str, now: datetime) -> Handover | None:
    """The hand-over a token carries, or None if it is forged, altered, malformed or expired.

    Using it once only is the receiver's part (it records the nonce)."""
    body, dot, mac = token.partition(".")
    if not dot or len(token) > 2000:
        return None
    expected = hmac.new(_key(secret), body.encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        raw = json.loads(_unb64(body))
        claims = Handover(
            username=str(raw["username"]),
            name=str(raw["name"]),
            unit=None if raw["unit"] is None else str(raw["unit"]),
            role="admin" if raw["role"] == "admin" else "unit",
            expires=float(raw["expires"]),
            nonce=str(raw["nonce"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if claims.expires < now.timestamp():
        return None
    if claims.role == "unit" and claims.unit is None:
        return None
    return claims

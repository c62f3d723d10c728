"""Signed webhook delivery to a ward's own system, and the check a receiver runs.

Each POST carries `X-Dondoc-Event-Id` (the notification id: deliver-once receivers dedupe on it),
`X-Dondoc-Timestamp` (unix seconds) and `X-Dondoc-Signature: v1=<hex>`, the HMAC-SHA256 of
`f"{timestamp}.".encode() + body` under the shared secret. Receivers verify like this
(standard library only; reject stale timestamps to stop replays)::

    import hashlib
    import hmac
    import time

    def verify(headers, body: bytes, secret: bytes, tolerance: int = 300) -> bool:
        timestamp = headers.get("X-Dondoc-Timestamp", "")
        signatures = headers.get("X-Dondoc-Signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
            return False
        digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        # Several comma-separated signatures appear while a secret is being rotated.
        return any(hmac.compare_digest(f"v1={digest}", s.strip()) for s in signatures.split(","))

Always verify the raw request bytes, before any JSON parsing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

import httpx

from services.notify.channels.address import AddressRefused, Resolver, check_webhook_url, system_resolver
from services.notify.domain.retry import DeliveryResult, Outcome, classify_http_status, parse_retry_after

EVENT_ID_HEADER = "X-Dondoc-Event-Id"
TIMESTAMP_HEADER = "X-Dondoc-Timestamp"
SIGNATURE_HEADER = "X-Dondoc-Signature"
_SIGNATURE_VERSION = "v1"
_DETAIL_BYTES = 300


def sign(body: bytes, secret: bytes, timestamp: int) -> str:
    """The signature header value for a body sent at `timestamp`: "v1=<hex HMAC-SHA256>"."""
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{_SIGNATURE_VERSION}={digest}"


def signed_headers(body: bytes, secret: bytes, now: datetime, event_id: str) -> dict[str, str]:
    """All headers of one webhook POST, signature included."""
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(body, secret, timestamp),
    }


def verify_signature(
    headers: Mapping[str, str], body: bytes, secret: bytes, now: datetime, tolerance: int = 300
) -> bool:
    """True when the body is signed with `secret` and its timestamp is within `tolerance` seconds of now."""
    lowered = {key.lower(): value for key, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "").strip()
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > tolerance:
        return False
    expected = sign(body, secret, int(timestamp))
    offered = lowered.get(SIGNATURE_HEADER.lower(), "").split(",")
    # compare_digest on every candidate: timing must not reveal how much of a guess matched.
    return any(hmac.compare_digest(expected.encode(), item.strip().encode()) for item in offered)


async def send_webhook(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    secret: bytes,
    now: datetime,
    *,
    event_id: str,
    allow_loopback: bool = False,
    resolver: Resolver = system_resolver,
) -> DeliveryResult:
    """POST one signed notification; classify the reply or the network failure for the retry policy.

    The address is checked at every send (DNS answers change) and the POST goes to the very address that
    was checked, with the Host header and TLS name of the URL (services.notify.channels.address). Redirects
    are never followed: a 3xx is the receiver's answer, and a permanent one. Timeouts are the client's
    (`httpx.AsyncClient(timeout=...)`): one place to configure them.
    """
    try:
        target = await check_webhook_url(url, allow_loopback=allow_loopback, resolver=resolver)
    except AddressRefused as refused:
        outcome = Outcome.PERMANENT if refused.lasting else Outcome.TRANSIENT
        return DeliveryResult(outcome, f"webhook address refused: {refused.message}")
    headers = signed_headers(body, secret, now, event_id) | {"Host": target.host_header()}
    # The TLS handshake names (SNI) and verifies the certificate against the host, not the address.
    extensions = {"sni_hostname": target.host} if url.startswith("https:") else {}
    try:
        # Streamed so a receiver answering with a huge body cannot make us read all of it.
        request = client.build_request(
            "POST", target.connect_url(), content=body, headers=headers, extensions=extensions
        )
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            snippet = await _read_some(response)
        finally:
            await response.aclose()
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        return DeliveryResult(Outcome.PERMANENT, f"invalid webhook address: {exc}")
    except httpx.TimeoutException as exc:
        return DeliveryResult(Outcome.TRANSIENT, f"timeout: {type(exc).__name__}")
    except httpx.TransportError as exc:  # refused, reset, protocol error
        return DeliveryResult(Outcome.TRANSIENT, f"network error: {type(exc).__name__}: {exc}")
    status = response.status_code
    outcome = classify_http_status(status)
    retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
    detail = f"HTTP {status} {response.reason_phrase}".strip()
    if snippet:
        detail = f"{detail}: {snippet}"
    return DeliveryResult(outcome, detail, status=status, retry_after=retry_after)


async def _read_some(response: httpx.Response) -> str:
    collected = b""
    async for chunk in response.aiter_raw():
        collected += chunk
        if len(collected) >= _DETAIL_BYTES:
            break
    return collected[:_DETAIL_BYTES].decode("utf-8", errors="replace").strip()

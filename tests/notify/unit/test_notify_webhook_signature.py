"""A receiving ward system can check that a webhook came from dondoc, unaltered and recent."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from services.notify.channels import webhook
from services.notify.channels.webhook import signed_headers, verify_signature

SECRET = b"khoa-bi-mat-cua-phuong-an-bien"
BODY = '{"loai":"task_assigned","tieu_de":"Tổ chức quán triệt"}'.encode()
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_signature_is_the_hmac_of_timestamp_dot_body() -> None:
    headers = signed_headers(BODY, SECRET, NOW, "n-1")
    timestamp = str(int(NOW.timestamp()))
    expected = hmac.new(SECRET, timestamp.encode() + b"." + BODY, hashlib.sha256).hexdigest()
    assert headers == {
        "Content-Type": "application/json",
        "X-Dondoc-Event-Id": "n-1",
        "X-Dondoc-Timestamp": timestamp,
        "X-Dondoc-Signature": f"v1={expected}",
    }


def test_a_genuine_webhook_verifies() -> None:
    headers = signed_headers(BODY, SECRET, NOW, "n-1")
    assert verify_signature(headers, BODY, SECRET, NOW + timedelta(seconds=3))


def test_header_names_are_matched_whatever_their_case() -> None:
    headers = {k.lower(): v for k, v in signed_headers(BODY, SECRET, NOW, "n-1").items()}
    assert verify_signature(headers, BODY, SECRET, NOW)


def test_a_tampered_body_is_refused() -> None:
    headers = signed_headers(BODY, SECRET, NOW, "n-1")
    assert not verify_signature(headers, BODY.replace(b"task", b"tusk"), SECRET, NOW)


def test_another_secret_is_refused() -> None:
    headers = signed_headers(BODY, SECRET, NOW, "n-1")
    assert not verify_signature(headers, BODY, b"khoa-khac", NOW)


def test_a_replay_older_than_the_tolerance_is_refused() -> None:
    headers = signed_headers(BODY, SECRET, NOW, "n-1")
    assert verify_signature(headers, BODY, SECRET, NOW + timedelta(seconds=300))
    assert not verify_signature(headers, BODY, SECRET, NOW + timedelta(seconds=301))
    assert not verify_signature(headers, BODY, SECRET, NOW - timedelta(seconds=301))


def test_a_moved_timestamp_breaks_the_signature() -> None:
    headers = dict(signed_headers(BODY, SECRET, NOW, "n-1"))
    headers["X-Dondoc-Timestamp"] = str(int(NOW.timestamp()) + 60)
    assert not verify_signature(headers, BODY, SECRET, NOW + timedelta(seconds=60))


def test_missing_or_malformed_headers_are_refused() -> None:
    good = signed_headers(BODY, SECRET, NOW, "n-1")
    no_signature = {k: v for k, v in good.items() if k != "X-Dondoc-Signature"}
    no_timestamp = {k: v for k, v in good.items() if k != "X-Dondoc-Timestamp"}
    bad_timestamp = {**good, "X-Dondoc-Timestamp": "hôm qua"}
    for headers in ({}, no_signature, no_timestamp, bad_timestamp):
        assert not verify_signature(headers, BODY, SECRET, NOW)


def test_during_secret_rotation_either_listed_signature_is_accepted() -> None:
    good = signed_headers(BODY, SECRET, NOW, "n-1")
    rotated = {**good, "X-Dondoc-Signature": "v1=" + "0" * 64 + ", " + good["X-Dondoc-Signature"]}
    assert verify_signature(rotated, BODY, SECRET, NOW)


def _snippet_verify() -> Callable[[Mapping[str, str], bytes, bytes], bool]:
    doc = webhook.__doc__ or ""
    block = re.search(r"::\n\n((?:    .*\n|\n)+)", doc)
    assert block is not None
    code = "\n".join(line[4:] for line in block.group(1).splitlines())
    namespace: dict[str, object] = {}
    exec(code, namespace)
    verify = namespace["verify"]
    assert callable(verify)
    return verify


def test_the_snippet_in_the_module_docs_verifies_a_real_signature_and_refuses_a_forgery() -> None:
    verify = _snippet_verify()
    headers = signed_headers(BODY, SECRET, datetime.fromtimestamp(time.time(), UTC), "n-1")
    assert verify(headers, BODY, SECRET)
    assert not verify(headers, BODY + b" ", SECRET)
    stale = signed_headers(BODY, SECRET, datetime.now(UTC) - timedelta(minutes=10), "n-1")
    assert not verify(stale, BODY, SECRET)

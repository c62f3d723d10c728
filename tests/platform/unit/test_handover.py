"""The workspace's hand-over to the dashboard: only intake's signature, only for a minute (ADR 0091)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dondoc.platform import handover

SECRET = "a-secret-both-services-hold"
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_a_token_names_the_person_their_unit_and_role() -> None:
    token = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    claims = handover.verify(SECRET, token, NOW + timedelta(seconds=30))
    assert claims is not None
    assert (claims.username, claims.name, claims.unit) == ("thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP")
    assert claims.principal.key_id == "person:thu.pham" and not claims.principal.is_admin


def test_a_token_expires_after_a_minute() -> None:
    token = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    assert handover.verify(SECRET, token, NOW + handover.LIFETIME + timedelta(seconds=1)) is None


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = handover.issue("another-secret", "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    assert handover.verify(SECRET, token, NOW) is None


def test_a_token_altered_to_name_the_city_administrator_is_refused() -> None:
    token = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    body, _, mac = token.partition(".")
    forged = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", None, "admin", NOW).partition(".")[0]
    assert handover.verify(SECRET, f"{forged}.{mac}", NOW) is None
    assert handover.verify(SECRET, f"{body}.", NOW) is None


def test_garbage_is_refused_not_an_error() -> None:
    for junk in ("", ".", "abc", "%%%.###", "eyJ1c2VybmFtZSI6MX0.AAAA", "a" * 5000):
        assert handover.verify(SECRET, junk, NOW) is None


def test_two_tokens_for_the_same_person_differ() -> None:
    first = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    second = handover.issue(SECRET, "thu.pham", "Phạm Minh Thu", "HP.SO-TU-PHAP", "unit", NOW)
    assert first != second  # each carries its own nonce, which the dashboard accepts once

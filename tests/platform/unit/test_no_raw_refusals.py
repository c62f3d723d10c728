"""Services refuse by name: no status number written beside a refusal in `services/` (ADR 0002).

A refusal's status and Vietnamese words live once, in `dondoc.platform.refusals.REFUSALS`; a service
raises `PlanNotFound()`, `NotYourUnit(NotYourUnit.RESULTS)`, `Invalid(words)`, … The few answers below
are not refusals of a use case, and say why they may keep their number.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RAW = re.compile(r"\b(Refused|HTTPException)\(\s*(?:status_code\s*=\s*)?(\d{3})")

# (file, status) → why the number stays where it is.
ALLOWED = {
    ("services/intake/web/sessions.py", "303"): "a redirect to the sign-in or password page, not a refusal",
    ("services/reporting/web/auth.py", "303"): "a redirect to the dashboard's sign-in page, not a refusal",
    ("services/intake/web/sessions.py", "429"): "the rate limiter's answer to a page, with its Retry-After",
    ("services/reporting/web/auth.py", "429"): "the rate limiter's answer to a page, with its Retry-After",
}


def raw_refusals() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "services").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in RAW.finditer(text):
            found.add((path.relative_to(ROOT).as_posix(), match.group(2)))
    return found


def test_services_write_no_refusal_status_of_their_own() -> None:
    assert raw_refusals() - set(ALLOWED) == set()


def test_the_allow_list_names_only_what_is_still_there() -> None:
    assert set(ALLOWED) <= raw_refusals()


def test_the_check_sees_a_raw_refusal() -> None:
    assert RAW.search('raise Refused(403, "Không được.")') is not None
    assert RAW.search("raise HTTPException(status_code=404, detail=x)") is not None
    assert RAW.search("raise PlanNotFound()") is None

"""One rule decides which version of a result counts: accepting one makes it count, returning it stops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.kernel.versions import Reviewed, Version, counted, may_report_on

T0 = datetime(2026, 11, 2, 2, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _pick(versions: list[Version], reviews: dict[int, Reviewed], review_required: bool = False) -> int | None:
    found = counted(versions, lambda v: reviews.get(v.version), review_required)
    return found.version if found else None


def test_the_newest_version_counts_on_arrival_unless_returned() -> None:
    versions = [Version(1, _at(0)), Version(2, _at(10))]
    assert _pick(versions, {}) == 2
    assert _pick(versions, {2: Reviewed("returned", _at(20))}) == 1
    assert _pick(versions, {1: Reviewed("returned", _at(5)), 2: Reviewed("returned", _at(20))}) is None


def test_accepting_an_older_version_makes_that_version_count() -> None:
    # The ward's completed version 1, then its office's empty version 2: the compiler accepts version 1.
    versions = [Version(1, _at(0)), Version(2, _at(10))]
    assert _pick(versions, {1: Reviewed("accepted", _at(30))}) == 1
    # A correction sent after the acceptance counts on arrival.
    versions.append(Version(3, _at(40)))
    assert _pick(versions, {1: Reviewed("accepted", _at(30))}) == 3


def test_with_review_required_only_an_accepted_version_counts() -> None:
    versions = [Version(1, _at(0)), Version(2, _at(10))]
    assert _pick(versions, {}, review_required=True) is None
    assert _pick(versions, {1: Reviewed("accepted", _at(30))}, review_required=True) == 1


def test_the_ward_and_its_van_phong_may_report_on_the_ward_s_assignment_and_no_other_office() -> None:
    assert may_report_on("11407", "11407") and may_report_on("11407.VP", "11407")
    assert not may_report_on("11407.VHXH", "11407") and not may_report_on("11411", "11407")
    assert may_report_on("11407.VHXH", "11407.VHXH") and may_report_on("11407", "11407.VHXH")
    assert may_report_on("11407.VP", "11407.VHXH") and not may_report_on("11407.KT", "11407.VHXH")


Step = tuple[str, int]  # ("send", _) | ("accept", k) | ("return", k), one minute apart


def _oracle(steps: list[Step], review_required: bool) -> int | None:
    """Replay the story: each send (unless review is required) and each acceptance puts a version
    forward; a return takes it out until accepted again. The newest version put forward and still in counts.
    """
    forward: list[int] = []
    out: set[int] = set()
    sent = 0
    for kind, k in steps:
        if kind == "send":
            sent += 1
            if not review_required:
                forward.append(sent)
        elif 1 <= k <= sent and kind == "accept":
            out.discard(k)
            forward.append(k)
        elif 1 <= k <= sent:
            out.add(k)
    return next((v for v in reversed(forward) if v not in out), None)


@settings(max_examples=400, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["send", "send", "accept", "return"]), st.integers(1, 5)), max_size=14
    ),
    review_required=st.booleans(),
)
def test_any_sequence_of_results_returns_and_accepts_counts_the_version_the_story_says(
    steps: list[Step], review_required: bool
) -> None:
    versions: list[Version] = []
    reviews: dict[int, Reviewed] = {}
    for minute, (kind, k) in enumerate(steps):
        if kind == "send":
            versions.append(Version(len(versions) + 1, _at(minute)))
        elif 1 <= k <= len(versions):
            reviews[k] = Reviewed("accepted" if kind == "accept" else "returned", _at(minute))
    assert _pick(versions, reviews, review_required) == _oracle(steps, review_required)

"""How intake's use-case values become HTTP answers: status, body and what the audit names.

The API's routes and the workspace's pages write through the same use cases with these shapes, so an
`Idempotency-Key` keeps one answer for both; `base` is where the answer's links point.
"""

from __future__ import annotations

from collections.abc import Callable

from dondoc.platform.idempotency import Answer
from services.intake.use_cases.approval import Choice, Returned
from services.intake.use_cases.directory_admin import Published
from services.intake.use_cases.documents import Uploaded
from services.intake.use_cases.keys import NewKey
from services.intake.use_cases.plans import PlanState
from services.intake.use_cases.results import Received


def _plan(state: PlanState, base: str) -> dict[str, object]:
    body: dict[str, object] = {
        "id": state.id,
        "status": state.status,
        "version": state.version,
        "link": f"{base}/plans/{state.id}",
    }
    if state.open_questions is not None:
        body["open_questions"] = state.open_questions
    return body


def plan(base: str) -> Callable[[PlanState], Answer]:
    """202 with the plan's id, status, version and link (and a draft's open questions)."""
    return lambda state: (202, _plan(state, base), state.id)


def uploaded(base: str) -> Callable[[Uploaded], Answer]:
    """202 with the draft read from the document, its review flags and what stops confirming it."""

    def shape(done: Uploaded) -> Answer:
        body = _plan(done.plan, base)
        body |= {"document_id": done.document_id, "draft": done.draft, "review": done.review}
        body["open_questions"] = body.pop("open_questions", [])  # after the draft, as always answered
        return 202, body, done.plan.id

    return shape


def received(base: str) -> Callable[[Received], Answer]:
    """202 with the result's or report's id, its version and its link."""
    return lambda got: (
        202,
        {"id": got.id, "status": "accepted", "version": got.version, "link": f"{base}/{got.kind}/{got.id}"},
        got.subject,
    )


def decided(base: str) -> Callable[[Received | Returned], Answer]:
    """A leader's decision: what was sent up (as `received`), or what went back to the officer."""

    def shape(done: Received | Returned) -> Answer:
        if isinstance(done, Returned):
            return 200, {"id": done.id, "decision": "returned"}, done.subject
        return received(base)(done)

    return shape


def choice(done: Choice) -> Answer:
    return 200, {"unit": done.unit, "approval_required": done.approval_required}, done.unit


def published(done: Published) -> Answer:
    """202 with the directory's new version."""
    body: dict[str, object] = {"version": done.version, "action": done.action, "summary": done.summary}
    return 202, body, f"directory/{done.version}"


def new_key(new: NewKey) -> Answer:
    """201 with the token, shown this once."""
    body: dict[str, object] = {
        "key_id": new.key_id,
        "token": new.token,
        "unit": new.unit,
        "role": new.role,
        "label": new.label,
    }
    return 201, body, new.key_id

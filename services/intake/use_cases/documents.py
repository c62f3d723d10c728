"""Plan documents: keep the original, parse it into a draft, let the issuing unit review and confirm it."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from dondoc.directory import Directory
from dondoc.kernel.clock import SYSTEM_CLOCK
from dondoc.platform.auth import Principal
from dondoc.platform.refusals import Invalid, NotYourUnit, Refused
from dondoc.platform.uow import UnitOfWork
from services.intake.http.schemas import PlanIn
from services.intake.models import DocumentRecord
from services.intake.parsing import DocumentError, PlanDraft, parse_document
from services.intake.use_cases.plans import PlanState, new_record
from services.intake.use_cases.resolution import check_issuer, interpret_timeframe, open_questions

_NO_TASKS = "Không đọc được nhiệm vụ nào trong tài liệu; hãy kiểm tra tệp hoặc gửi kế hoạch dạng JSON."


@dataclass(frozen=True)
class Uploaded:
    """A document kept with the draft read from it, and the fields a person should look at."""

    plan: PlanState
    document_id: str
    draft: dict[str, object]
    review: list[dict[str, object]]


def draft_to_plan(draft: PlanDraft, issuer: str, filename: str) -> PlanIn:
    """The parser's draft in the shape a sender edits (review flags stay in the stored draft)."""
    meta = draft.plan
    tasks = []
    for task in draft.tasks:
        raw = task.model_dump(mode="json", exclude={"review"})
        tasks.append(raw)
    reporting = [r.model_dump(mode="json") for r in draft.reporting]
    try:
        plan = PlanIn.model_validate(
            {
                "issuer": issuer,
                "number": meta.number,
                "title": meta.title or filename,
                "issued_on": meta.issued_on,
                "implements": meta.implements,
                "tasks": tasks,
                "reporting": reporting,
                "draft": True,
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = _NO_TASKS if where == "tasks" else f"Bản nháp đọc từ tài liệu không hợp lệ ở «{where}»."
        raise Invalid(message) from None
    timed = [t.model_copy(update={"timeframe": interpret_timeframe(t.timeframe)}) for t in plan.tasks]
    return plan.model_copy(update={"tasks": timed})


def review_flags(draft: PlanDraft) -> list[dict[str, object]]:
    """Which fields of which tasks a person should look at before confirming."""
    return [{"ref": t.ref, "fields": list(t.review)} for t in draft.tasks if t.review]


async def read_draft(
    data: bytes, filename: str, content_type: str | None, uploader: str | None = None
) -> PlanDraft:
    """Parse off the event loop; a document that cannot be read becomes a refusal with its reason."""
    try:
        return await asyncio.to_thread(parse_document, data, filename, content_type, uploader)
    except DocumentError as exc:
        raise Refused(exc.http_status, exc.message_vi) from None


async def submit_document(
    uow: UnitOfWork,
    principal: Principal,
    directory: Directory,
    upload: tuple[bytes, str, str | None],
    issuer: str | None,
) -> Uploaded:
    """Store the original file and the draft it yields (status "draft", with its review flags)."""
    data, filename, content_type = upload
    # The uploader's unit is the issuer unless the document (or the form) names another (parse_document).
    draft = await read_draft(data, filename, content_type, principal.unit)
    named = draft.plan.issuer.unit if draft.plan.issuer else None
    issuer = issuer or named or principal.unit
    if not issuer:
        raise Invalid("Không xác định được đơn vị ban hành; hãy gửi kèm trường issuer (mã đơn vị).")
    if not principal.may_act_for(issuer):
        raise NotYourUnit(NotYourUnit.SEND_PLAN)
    try:
        check_issuer(directory, issuer)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    plan = draft_to_plan(draft, issuer, filename)
    document = DocumentRecord(
        id=str(uuid.uuid4()),
        filename=filename[:300],
        content_type=(content_type or "")[:200] or None,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=principal.key_id,
        uploaded_at=SYSTEM_CLOCK.now(),
    )
    uow.session.add(document)
    draft_json = draft.model_dump(mode="json")
    record = new_record(plan, principal, document_id=document.id, draft=draft_json)
    uow.session.add(record)
    state = PlanState(record.id, record.status, 0, open_questions(directory, plan))
    return Uploaded(state, document.id, draft_json, review_flags(draft))


def review_flags_of(draft: dict[str, object] | None) -> list[dict[str, object]]:
    """Review flags of a stored draft (empty for JSON plans)."""
    return review_flags(PlanDraft.model_validate(draft)) if draft else []

"""Submission → SubmissionDocument (pydantic) → JSON-ready dict; the model documents the shape."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter

from dondoc.kernel.status import REPORTED_STATUSES
from services.reporting.documents.json_models import (
    AssignedUnitOut,
    CascadeOut,
    KindRateOut,
    ParagraphOut,
    PlanOut,
    QuoteOut,
    RateOut,
    RateRowOut,
    ReportingOut,
    SectionOut,
    StatusCountsOut,
    SubmissionDocument,
    TaskOut,
    UnitOut,
    UnitRateOut,
    UnitResultOut,
    WardPlanOut,
)
from services.reporting.domain.rates import Rate, StatusCounts
from services.reporting.domain.submission import Quote, ReportingRateRow, Submission, TaskSummary, UnitSummary


def submission_to_json(submission: Submission) -> dict[str, object]:
    """A stable, JSON-serialisable dict (dates ISO 8601, statuses as codes)."""
    return submission_document(submission).model_dump(mode="json")


def render_json(submission: Submission) -> bytes:
    """The JSON document a compiler downloads: UTF-8, indented by two spaces, keys in the model's order.

    Written by pydantic's serializer, the same text `json.dumps(submission_to_json(…), ensure_ascii=False,
    indent=2)` gives: Python's encoder falls back to pure Python when asked to indent, and took 7.5 of a
    national document's 11 seconds (186 MB).

    The long lists (tasks with their units, units with their results, the quotes) are written an item at a
    time into the document's frame, so the models of a national submission (half a GB) never exist at
    once: the frame is the document with those lists empty, and each `"name": []` in it is filled in place.
    Pretty JSON has no raw newline inside a string, so indenting an item's lines is indenting its text.
    """
    frame = _DOCUMENT.dump_json(_document(submission, [], [], [], []), indent=2)
    written = io.BytesIO()
    at = 0
    lists: tuple[tuple[bytes, TypeAdapter[Any], Iterable[object]], ...] = (
        (b"tasks", _TASK, (_task(t) for t in submission.tasks)),
        (b"units", _UNIT, (_unit(u) for u in submission.units)),
        (b"difficulties", _QUOTE, map(_quote, submission.difficulties)),
        (b"proposals", _QUOTE, map(_quote, submission.proposals)),
    )
    for name, adapter, items in lists:
        empty = b'\n  "' + name + b'": []'  # a key of the top level: two spaces, no more
        found = frame.index(empty, at)
        written.write(frame[at:found])
        written.write(empty[:-1])  # up to the opening bracket
        separator = b"\n    "
        for item in items:
            written.write(separator)
            written.write(adapter.dump_json(item, indent=2).replace(b"\n", b"\n    "))
            separator = b",\n    "
        written.write(b"]" if separator == b"\n    " else b"\n  ]")
        at = found + len(empty)
    written.write(frame[at:])
    return written.getvalue()


_DOCUMENT = TypeAdapter(SubmissionDocument)
_TASK: TypeAdapter[Any] = TypeAdapter(TaskOut)
_UNIT: TypeAdapter[Any] = TypeAdapter(UnitOut)
_QUOTE: TypeAdapter[Any] = TypeAdapter(QuoteOut)


def submission_document(sub: Submission) -> SubmissionDocument:
    """The pydantic form of a submission, for a FastAPI response_model."""
    return _document(
        sub,
        [_task(t) for t in sub.tasks],
        [_unit(u) for u in sub.units],
        _quotes(sub.difficulties),
        _quotes(sub.proposals),
    )


def _document(
    sub: Submission,
    tasks: list[TaskOut],
    units: list[UnitOut],
    difficulties: list[QuoteOut],
    proposals: list[QuoteOut],
) -> SubmissionDocument:
    return SubmissionDocument(
        plan=PlanOut(
            id=sub.plan.id,
            number=sub.plan.number,
            title=sub.plan.title,
            issuer_name=sub.plan.issuer_name,
            issued_on=sub.plan.issued_on,
        ),
        period_start=sub.period_start,
        period_end=sub.period_end,
        as_of=sub.as_of,
        period_closed=sub.period_closed,
        task_counts=_counts(sub.task_counts),
        assignment_counts=_counts(sub.assignment_counts),
        tasks=tasks,
        units=units,
        reporting=ReportingOut(
            city=_rate_row(sub.reporting.city),
            by_kind=[KindRateOut(kind=kind, rates=_rate_row(row)) for kind, row in sub.reporting.by_kind],
            by_unit=[
                UnitRateOut(
                    unit_code=row.unit_code,
                    unit_name=row.unit_name,
                    kind=row.kind,
                    rates=_rate_row(row.rates),
                    missing_periods=list(row.missing_periods),
                    late_periods=list(row.late_periods),
                )
                for row in sub.reporting.by_unit
            ],
        ),
        cascade=[
            CascadeOut(
                task_id=row.task_id,
                task_ref=row.task_ref,
                task_title=row.task_title,
                issued=[
                    WardPlanOut(unit_code=p.unit_code, unit_name=p.unit_name, plan_number=p.plan_number)
                    for p in row.issued
                ],
                pending=list(row.pending),
                coverage=_rate(row.coverage),
            )
            for row in sub.cascade
        ],
        difficulties=difficulties,
        proposals=proposals,
        narrative=[
            SectionOut(
                heading=s.heading, paragraphs=[ParagraphOut(kind=p.kind, text=p.text) for p in s.paragraphs]
            )
            for s in sub.narrative
        ],
    )


def _rate(rate: Rate) -> RateOut:
    percent = rate.percent
    return RateOut(
        numerator=rate.numerator,
        denominator=rate.denominator,
        percent=None if percent is None else float(percent),
        text=rate.text,
    )


def _counts(counts: StatusCounts) -> StatusCountsOut:
    return StatusCountsOut(
        done_on_time=counts.done_on_time,
        done_late=counts.done_late,
        in_progress=counts.in_progress,
        overdue=counts.overdue,
        total=counts.total,
        shares={status.value: _rate(counts.share(status)) for status in REPORTED_STATUSES},
    )


def _quotes(quotes: tuple[Quote, ...]) -> list[QuoteOut]:
    return [_quote(q) for q in quotes]


def _quote(q: Quote) -> QuoteOut:
    return QuoteOut(unit_code=q.unit_code, unit_name=q.unit_name, source=q.source, text=q.text)


def _rate_row(row: ReportingRateRow) -> RateRowOut:
    return RateRowOut(
        label=row.label,
        expected=row.expected,
        received=row.received,
        on_time=row.on_time,
        completeness=_rate(row.completeness),
        timeliness=_rate(row.timeliness),
    )


def _task(t: TaskSummary) -> TaskOut:
    return TaskOut(
        task_id=t.task_id,
        ref=t.ref,
        title=t.title,
        due=t.due,
        status=t.status.value,
        status_label=t.status.label,
        counts=_counts(t.counts),
        coordinating=t.coordinating,
        coordinating_reported=t.contributed,
        standing=t.standing,
        units=[
            AssignedUnitOut(
                unit_code=u.unit_code,
                unit_name=u.unit_name,
                role=u.role,
                due=u.due,
                status=u.status.value,
                status_label=u.status.label,
                reported=u.reported,
                completed_on=u.completed_on,
                output=u.output,
            )
            for u in t.units
        ],
        outputs=_quotes(t.outputs),
        not_reported=list(t.not_reported),
    )


def _unit(u: UnitSummary) -> UnitOut:
    return UnitOut(
        code=u.unit.code,
        name=u.unit.name,
        kind=u.unit.kind,
        parent=u.unit.parent,
        counts=_counts(u.counts),
        results=[
            UnitResultOut(
                task_ref=r.task_ref,
                task_title=r.task_title,
                role=r.role,
                due=r.due,
                status=r.status.value,
                status_label=r.status.label,
                reported=r.reported,
                completed_on=r.completed_on,
                output=r.output,
                narrative=r.narrative,
                version=r.version,
            )
            for r in u.results
        ],
        difficulties=_quotes(u.difficulties),
        proposals=_quotes(u.proposals),
    )

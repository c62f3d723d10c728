"""Reporting obligations: who reports to whom, how often ("Báo cáo kết quả về Sở Tư pháp ...")."""

from __future__ import annotations

import re

from .blocks import clean
from .clauses import subject_of
from .duties import UNIT_START, unit_heading
from .model import DraftTask, ReportingObligation, UnitRef
from .outline import Node
from .timeframe import interpret
from .units import UnitReader

_REPORT_TO = re.compile(
    r"báo cáo\b[^.;]*?\b(?:về|gửi|cho|lên|đến)\s+(?P<to>[^.;()]+)"
    r"|báo cáo\s+(?P<direct>(?:UBND|Ủy ban|Uỷ ban)[^.;()]+)",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\s+(?:để|trước|đảm bảo|bảo đảm|theo|trong|qua|chậm nhất|định kỳ|hằng|hàng|khi|xem xét|tổng hợp)\b|,"
)
_ESCALATION = re.compile(r"khó khăn|vướng mắc|phản ánh", re.IGNORECASE)


def obligations_from_tasks(tasks: list[DraftTask], issuer: UnitRef | None) -> list[ReportingObligation]:
    """A recurring report task ("Báo cáo về việc thi hành ...") obliges its lead to the issuer."""
    out: list[ReportingObligation] = []
    for task in tasks:
        if task.timeframe.kind == "recurring" and task.title.lower().startswith("báo cáo") and task.lead:
            out.append(
                ReportingObligation(
                    reporter=task.lead,
                    recipient=issuer,
                    recurrence=task.timeframe.recurrence,
                    text=task.timeframe.text or task.title,
                )
            )
    return out


def obligations_in_section(section: Node, units: UnitReader) -> list[ReportingObligation]:
    """Sentences that send reports somewhere, with the unit whose duty block they sit in as reporter."""
    out: list[ReportingObligation] = []
    _scan(section, None, units, out)
    return out


def _scan(node: Node, reporter: str | None, units: UnitReader, out: list[ReportingObligation]) -> None:
    for child in node.children:
        heading = unit_heading(child.text)
        own = heading[0] if heading else reporter
        obligation = _obligation(child.text, own, units)
        if obligation:
            out.append(obligation)
        _scan(child, own, units, out)


def _obligation(text: str, reporter: str | None, units: UnitReader) -> ReportingObligation | None:
    text = clean(text)
    m = _REPORT_TO.search(text)
    if not m or _ESCALATION.search(text[: m.end()]):
        return None
    target = _STOP.split(m["to"] or m["direct"] or "")[0].strip()
    target = re.split(r"\s+(?:kết quả|tình hình|các nội dung|nội dung|việc|về)\s", target)[0]
    target = subject_of(target)[0]  # "Sở X tổng hợp ...": the recipient ends where its action begins
    if not UNIT_START.match(target):
        return None
    subject = subject_of(text[: m.start()].strip(" ,"))[0]
    if reporter is None and UNIT_START.match(subject):
        reporter = subject
    reporters, _ = units.read(reporter)
    timeframe = interpret(text[m.start() :])
    whole = interpret(text)  # "Định kỳ 6 tháng, các đơn vị báo cáo ...": the period may come first
    recurrence = timeframe.recurrence or whole.recurrence
    due = timeframe.due if timeframe.kind == "deadline" else None
    return ReportingObligation(
        reporter=reporters,
        recipient=units.one(target),
        recurrence=recurrence,
        due=due,
        text=text[m.start() :],
    )

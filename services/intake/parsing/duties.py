"""Duties grouped by agency, at any heading level: "2.1. Sở Tài chính" over a), b) or bullets, "Sở X: ..."."""

from __future__ import annotations

import re

from .clauses import VERB, partners, subject_of
from .outline import Node
from .sentence_time import time_in_sentence
from .task_fields import RawTask
from .unit_split import HEADS, split_units

UNIT_START = re.compile(
    r"^(?:(?:Đề nghị|Giao|Yêu cầu)\s+)?(?:(?:Các|các)\s+(?i:sở|ban|ngành|phòng|cơ quan|đơn vị|địa phương|xã|"
    r"phường|tổ chức|đoàn thể|hội|trường|doanh nghiệp|UBND|Ủy ban|Uỷ ban)\b|(?:" + HEADS + r")\s)"
)
_ASSIGN = re.compile(r"^(?:Giao|Đề nghị|Yêu cầu)\s+(?P<rest>.+)$")
_DUTY_VERB = re.compile(
    r"^(?P<unit>.+?)\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|là cơ quan đầu mối)\s*(?P<duty>.*)$"
)
_CONTAINER = re.compile(r"^(?:Chủ trì,?\s*(?:và\s+)?phối hợp|Phối hợp|Chủ trì)\s*(?:với)?\s*:?$", re.I)
# General clauses restate the plan's organisation or its reporting duty; they assign nothing of their own.
_GENERAL = re.compile(
    r"^(?:(?:nghiêm túc|chủ động|khẩn trương)\s+)?(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện|triển khai)"
    r"(?:\s+(?:nghiêm túc|có hiệu quả|tốt|đầy đủ|kịp thời))*(?:\s+các nội dung(?: của)?)?"
    r"\s+[Kk]ế hoạch(?: này)?"
    r"|^(?:định kỳ\s+)?báo cáo (?:kết quả|tình hình)(?: thực hiện)?(?: [Kk]ế hoạch(?: này)?)?"
    r"\s+(?:về|gửi|cho)\b",
    re.IGNORECASE,
)


def unit_heading(text: str) -> tuple[str, str] | None:
    """("Sở Tài chính", inline duty) from "Sở Tài chính: ..." or a heading that only names a unit."""
    head, sep, rest = text.partition(":")
    head = re.sub(r"^(?:Đề nghị|Giao|Yêu cầu)\s+", "", head.strip())
    if sep and UNIT_START.match(head) and len(head.split()) <= 20 and not VERB.search(head):
        return head, rest.strip()
    bare = re.sub(r"^(?:Đề nghị|Giao|Yêu cầu)\s+", "", text.strip().rstrip(". "))
    if not sep and UNIT_START.match(bare) and len(bare.split()) <= 20 and not VERB.search(bare):
        return bare, ""
    return None


def unit_and_duty(text: str) -> tuple[str, str] | None:
    """The unit and its duty in "Giao Văn phòng ... theo dõi ..." or "Phòng X có trách nhiệm lập ..."."""
    assigned = _ASSIGN.match(text.strip())
    if assigned:
        unit, duty = subject_of(assigned["rest"])
        if unit and duty and UNIT_START.match(unit):
            return unit, duty
    m = _DUTY_VERB.match(text.strip())
    if m and UNIT_START.match(m["unit"]) and len(m["unit"].split()) <= 20 and not VERB.search(m["unit"]):
        return m["unit"].strip(" ,"), m["duty"].strip()
    return None


def is_general(duty: str) -> bool:
    """Whether a duty only restates the plan's organisation or reporting ("tổ chức thực hiện Kế hoạch")."""
    duty = re.sub(r"^(?:Căn cứ [^,]+,\s*)", "", duty.strip())
    return bool(_GENERAL.match(duty)) and len(duty.split()) <= 30


def agency_lists(node: Node, prefix: str) -> list[RawTask]:
    """Every list of agency headings under `node`, at any depth, read as duties led by their heading units."""
    tasks: list[RawTask] = []
    headed = [(c, unit_heading(c.text)) for c in node.children if c.kind != "text"]
    agencies = [(c, h) for c, h in headed if h and (h[1] or c.children)]
    if len(agencies) >= 2:
        for child, (unit, inline) in agencies:
            tasks.extend(_duties(child, unit, inline, _ref(prefix, child.number)))
        rest = [c for c in node.children if all(c is not a for a, _ in agencies)]
    else:
        rest = node.children
    for child in rest:
        if child.kind != "text":
            tasks.extend(agency_lists(child, _ref(prefix, child.number)))
    return tasks


def _duties(node: Node, unit: str, inline: str, ref: str) -> list[RawTask]:
    group = unit
    if inline:
        extra = [c.text for c in node.children]
        return [_task(ref, " ".join([inline, *extra]) if inline.endswith(":") else inline, unit, group)]
    items = [c for c in node.children if c.kind != "text"] or node.children
    out: list[RawTask] = []
    bullets = 0
    for item in items:
        bullets += 1
        number = item.number if item.kind in ("num", "subnum", "letter") else str(bullets)
        item_ref = _ref(ref, number) if len(items) > 1 else ref
        if _CONTAINER.match(item.text) and item.children:
            for k, sub in enumerate(item.children, start=1):
                names, _ = subject_of(sub.text)
                task = _task(_ref(item_ref, str(k)), sub.text, unit, group)
                task.coordinating = "; ".join(split_units(names)) or None if names else None
                out.append(task)
            continue
        title = item.text if not item.text.endswith(":") else item.body()
        out.append(_task(item_ref, title, unit, group))
    return out


def _task(ref: str, duty: str, unit: str, group: str | None) -> RawTask:
    duty = duty.strip().rstrip(" .;:")
    task = RawTask(ref=ref, title=duty[:1].upper() + duty[1:], group=group, lead="; ".join(split_units(unit)))
    found = partners(duty)
    task.coordinating = "; ".join(found) or None
    task.timeframe = time_in_sentence(duty)
    return task


def _ref(prefix: str, number: str) -> str:
    """ "III.2" and "2.11" make "III.2.11": a decimal number already carries its parent's."""
    if not prefix or not number:
        return prefix or number
    parts = prefix.split(".")
    if "." in number and number.split(".")[0] == parts[-1]:
        return ".".join([*parts[:-1], number])
    return f"{prefix}.{number}"

"""Per-unit duties under "TỔ CHỨC THỰC HIỆN" / "KINH PHÍ": "a) Sở Tài chính: ...", "Giao X ..."."""

from __future__ import annotations

import re

from .outline import Node
from .task_fields import RawTask

UNIT_START = re.compile(
    r"^(?:(?:Các|các)\s+(?:sở|ban|ngành|phòng|cơ quan|đơn"
    r" vị|địa phương|xã|phường|tổ chức|đoàn thể|hội|trường|"
    r"UBND|Ủy ban|Uỷ ban)\b|(?:Sở|Phòng|Văn phòng|Ủy ban|Uỷ"
    r" ban|UBND|Trung tâm|Công an|Ban|Bộ|Đoàn|Hội đồng|Hội|"
    r"Liên đoàn|Mặt trận|Kho bạc|Thuế|Bảo hiểm|Đài|Cục|Chi cục|Viện|Trường|Bệnh viện|Quỹ|Đảng ủy|Chi nhánh|"
    r"Công ty|Điện lực|Hạt)\s)"
)
# Where a unit's name ends and its duty begins: the first of these verbs.
_VERBS = (
    r"chủ trì|phối hợp với|theo dõi|tham mưu|hướng dẫn|tổng hợp|triển khai|thực hiện|tổ chức thực hiện|"
    r"xây dựng|rà soát|đôn đốc|kiểm tra|báo cáo|có trách nhiệm|chịu trách nhiệm|chủ động|lập|bố trí|cân đối|"
    r"đảm bảo|bảo đảm|nghiên cứu|đề xuất|tuyên truyền|phổ biến|quán triệt|giám sát|cập nhật|căn cứ|tiếp tục|"
    r"khẩn trương|phụ trách|là cơ quan|làm đầu mối"
)
_VERB = re.compile(r"\s(?:" + _VERBS + r")\b")
_ASSIGN = re.compile(r"^(?:Giao|Đề nghị|Yêu cầu)\s+(?P<rest>.+)$")
_DUTY_VERB = re.compile(
    r"^(?P<unit>.+?)\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|là cơ quan đầu mối)\s*(?P<duty>.*)$"
)


def unit_heading(text: str) -> tuple[str, str] | None:
    """("Sở Tài chính", inline duty) from "Sở Tài chính: ..." or a heading that only names a unit."""
    head, sep, rest = text.partition(":")
    head = head.strip()
    if sep and UNIT_START.match(head) and len(head.split()) <= 16 and not _VERB.search(" " + head):
        return head, rest.strip()
    bare = text.strip().rstrip(".")
    if not sep and UNIT_START.match(bare) and len(bare.split()) <= 16 and not _VERB.search(" " + bare):
        return bare, ""
    return None


def unit_and_duty(text: str, budget: bool) -> tuple[str, str] | None:
    """The unit and its duty in "Giao Văn phòng ... theo dõi ..." or "Phòng X có trách nhiệm lập ..."."""
    assigned = _ASSIGN.match(text.strip())
    if assigned and not budget:
        rest = assigned["rest"]
        verb = _VERB.search(rest)
        if verb and UNIT_START.match(rest):
            return rest[: verb.start()].strip(" ,"), rest[verb.start() :].strip()
    m = _DUTY_VERB.match(text.strip())
    if (
        m
        and UNIT_START.match(m["unit"])
        and len(m["unit"].split()) <= 16
        and not _VERB.search(" " + m["unit"])
    ):
        return m["unit"].strip(" ,"), m["duty"].strip()
    return None


def duty_tasks(section: Node, prefix: str, budget: bool) -> list[RawTask]:
    """One task per unit-duty block in an organisation or budget section."""
    tasks: list[RawTask] = []
    for node, ref in _walk(section, prefix):
        if node.kind == "text":
            continue
        found = None if budget else unit_heading(node.text)
        if found and (found[1] or node.children):
            unit, inline = found
            duties = [inline] if inline else [c.text for c in node.children if c.kind != "text" or not inline]
            title = "; ".join(d.rstrip(" .;") for d in duties if d)
            tasks.append(RawTask(ref=ref, title=_sentence(title), lead=unit, group=None))
            continue
        pair = unit_and_duty(node.text, budget)
        if pair and pair[1]:
            tasks.append(RawTask(ref=ref, title=_sentence(pair[1]), lead=pair[0]))
    return _outermost(tasks)


def _walk(node: Node, prefix: str) -> list[tuple[Node, str]]:
    out: list[tuple[Node, str]] = []
    bullets = 0
    for child in node.children:
        if child.kind in ("bullet", "plus"):
            bullets += 1
            number = str(bullets)
        else:
            number = child.number
        ref = f"{prefix}.{number}" if number else prefix
        out.append((child, ref))
        out.extend(_walk(child, ref))
    return out


def _outermost(tasks: list[RawTask]) -> list[RawTask]:
    """A unit block's bullets are its duties, not tasks of their own."""
    kept: list[RawTask] = []
    for task in tasks:
        if any(task.ref.startswith(k.ref + ".") for k in kept):
            continue
        kept.append(task)
    return kept


def _sentence(text: str) -> str:
    text = text.strip().rstrip(" .;")
    return text[:1].upper() + text[1:]

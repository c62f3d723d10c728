"""Units written as a sentence: roles from verbs ("X chủ trì, phối hợp với Y"; "A, B chủ động triển khai")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import clean
from .unit_split import HEADS, split_units

# Verbs that end a unit's name and begin what it does. Lower case only: "Ban Quản lý" is a name.
VERBS = (
    r"chủ trì|phối hợp|tham mưu|thực hiện|triển khai|tổ chức thực hiện|tổ chức triển khai|theo dõi|hướng dẫn|"
    r"tổng hợp|xây dựng|rà soát|đôn đốc|kiểm tra|báo cáo|có trách nhiệm|chịu trách nhiệm|chủ động|bố trí|"
    r"cân đối|đảm bảo|bảo đảm|nghiên cứu|đề xuất|tuyên truyền|phổ biến|quán triệt|giám sát|cập nhật|căn cứ|"
    r"tiếp tục|khẩn trương|phụ trách|là cơ quan|làm đầu mối|thúc đẩy|đẩy mạnh|tăng cường|nâng cao|ban hành|"
    r"vận động|chỉ đạo|định hướng|đăng tải|tập huấn|lồng ghép|thẩm định|sử dụng|nắm|tiếp nhận|duy trì|lập|"
    r"trình|cung cấp|hỗ trợ|đánh giá|quản lý|thống kê|kịp thời|thường xuyên|để|nhằm|trong việc|về việc|"
    r"xem xét|phát động|tổ chức các|tổ chức tốt|tổ chức tuyên truyền|tổ chức tập huấn|tích cực|nghiêm túc|"
    r"quyết liệt|thực hành|giúp|mở|xử lý|phát hiện|đấu tranh|ngăn chặn|kiến nghị|đề nghị|phân công|bổ sung|"
    r"tiến hành|điều tra|làm tốt|xác định|gửi|đăng ký|tổng kết|sơ kết|đẩy nhanh|"
    r"tổ chức(?=\s+(?:rà soát|thực hiện|triển khai|tuyên truyền|tập huấn|kiểm tra|đánh giá|hội|lớp|cuộc|"
    r"việc))"
)
VERB = re.compile(r"(?<![\wÀ-ỹ])(?:" + VERBS + r")(?![\wÀ-ỹ])")
_LEAD_VERB = re.compile(r"^(?:chủ trì|là cơ quan (?:chủ trì|đầu mối|thường trực)|làm đầu mối|phụ trách)")
_COORD_VERB = re.compile(r"^phối hợp")
_PARTNERS = re.compile(r"(?<![\wÀ-ỹ])(?:phối hợp|Phối hợp)(?:\s+chặt chẽ)?(?:\s+với)?\s+(?P<rest>.+)")
_BARE_HEAD = re.compile(r"^(?:" + HEADS + r")$")
# Bodies named by their function take the verb phrase after them into their name.
_NAMED_BY_FUNCTION = re.compile(
    r"^(?:Hội đồng|Ban Chỉ đạo|Ban chỉ đạo|Tổ công tác|Tổ giúp việc)(?:\s+\S+){0,2}$"
)
_REQUEST = re.compile(r"^(?:Đề nghị|Giao|Yêu cầu)\s+")


@dataclass
class Roles:
    """Units named in a clause, by role: who leads, who coordinates."""

    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)


def subject_of(text: str) -> tuple[str, str]:
    """(units, rest): the unit list a clause opens with and what follows ("" when it opens with a verb)."""
    text = _REQUEST.sub("", clean(text))
    for m in VERB.finditer(text):
        before = text[: m.start()].strip(" ,:")
        if before and (_BARE_HEAD.match(before) or _NAMED_BY_FUNCTION.match(before)):
            continue  # "Hội đồng phối hợp phổ biến ...": the verb is part of the name
        if re.search(r"(?:^|\s)(?:nhà|người|sự|việc|công tác)$", before):
            continue  # "nhà cung cấp", "công tác tuyên truyền": a noun made from the verb
        return before, text[m.start() :]
    return text, ""


def read_roles(text: str | None) -> Roles:
    """Roles in a field such as "Sở Nội vụ chủ trì, phối hợp với các sở, ngành và UBND các xã, phường"."""
    roles = Roles()
    if not text or not clean(text):
        return roles
    executing: list[str] = []
    for clause in re.split(r"\s*[;\n]\s*|\s*(?:^|\s)\+\s+", clean(text)):
        if not clause.strip():
            continue
        subject, rest = subject_of(clause)
        units = split_units(subject) if subject else []
        if _LEAD_VERB.match(rest):
            roles.lead.extend(units)
        elif _COORD_VERB.match(rest):
            roles.coordinating.extend(units)
        else:
            executing.extend(units)
        roles.coordinating.extend(partners(rest))
    roles.lead = roles.lead + executing  # units that carry the work out ("X thực hiện …") are responsible too
    roles.lead = list(dict.fromkeys(roles.lead))
    roles.coordinating = [u for u in dict.fromkeys(roles.coordinating) if u not in roles.lead]
    return roles


def partners(duty: str) -> list[str]:
    """The units a duty says it works with ("phối hợp với X", "phối hợp chặt chẽ X"), wherever they stand."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.;])\s+", duty):
        for m in _PARTNERS.finditer(sentence):
            rest = m["rest"]
            stop = VERB.search(rest)
            span = rest[: stop.start()] if stop else rest
            span = re.split(r"[.;:()]|\s+(?:trong|tại|về|đối với|nhằm|để|theo)\s", span)[0]
            lower = span[:1].islower() and not re.match(r"(?:các|cơ quan|lực lượng|đơn vị)\b", span)
            if not span.strip() or lower:
                continue
            out.extend(u for u in split_units(span) if u not in out)
    return out

"""Field labels of task blocks and table headers ("Cơ quan chủ trì", "Thời hạn hoàn thành", "Sản phẩm"...)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Role = Literal["ref", "title", "lead", "coordinating", "output", "timeframe", "content", "note"]

# Order matters: the first rule whose pattern matches a label wins ("Thời gian hoàn thành" is a time, not
# an output; "Cơ quan chủ trì, phối hợp" is left to the lead rule and split later).
_RULES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("ref", re.compile(r"^(?:s[ốo]\s*)?(?:tt|stt|số thứ tự)$")),
    ("timeframe", re.compile(r"thời gian|thời hạn|tiến độ|thời điểm|mốc")),
    ("coordinating", re.compile(r"^(?:cơ quan|đơn vị|bộ phận|cơ quan, đơn vị)?\s*phối hợp")),
    (
        "lead",
        re.compile(
            r"chủ trì|(?:cơ quan|đơn vị|bộ phận|người|cơ quan, đơn vị)\s*(?:thực hiện|phụ trách)|"
            r"trách nhiệm thực hiện|phân công"
        ),
    ),
    ("output", re.compile(r"kết quả|sản phẩm|hình thức")),
    (
        "title",
        re.compile(r"^(?:tên )?(?:nhiệm vụ|công việc|nội dung|hoạt động|nội dung (?:công việc|nhiệm vụ))"),
    ),
    ("note", re.compile(r"^ghi chú")),
)
_TIME_NO_COLON = re.compile(
    r"^(?:Thời gian|Thời hạn|Tiến độ)(?: thực hiện| hoàn thành)?\s+(?P<value>(?:Năm|Quý|Quí|Tháng|Từ|Trước|"
    r"Trong|Thường|Hằng|Hàng|Sau|Theo|Khi|\d).*)$"
)
_LABELLED = re.compile(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<value>.*)$", re.DOTALL)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"\(.*?\)|\*", " ", text)
    return re.sub(r"\s+", " ", text.replace("/", " / ")).strip(" .:-")


def role_of(label: str) -> Role | None:
    """The field a label or a table header names, or None."""
    key = _key(label)
    if not key or len(key.split()) > 9:
        return None
    for role, pattern in _RULES:
        if pattern.search(key):
            return "content" if role == "title" else role
    return None


def header_role(cell: str) -> Role | None:
    """The column a table header cell names ("Tên nhiệm vụ" is the task's title)."""
    key = _key(cell)
    if not key or len(key.split()) > 9:
        return None
    for role, pattern in _RULES:
        if pattern.search(key):
            return role
    if re.match(r"^(?:các )?chỉ tiêu", key):
        return "title"  # an appendix of target indicators, each assigned to a unit
    return None


def read_labelled(text: str) -> tuple[Role, str] | None:
    """("lead", "Văn phòng HĐND và UBND") from "Cơ quan chủ trì: Văn phòng HĐND và UBND."."""
    m = _LABELLED.match(text.strip())
    if not m:
        bare = _TIME_NO_COLON.match(text.strip())  # "Thời gian thực hiện Năm 2027 ...": no colon
        return ("timeframe", bare["value"].strip().rstrip(" .;")) if bare else None
    role = role_of(m["label"])
    if role is None or role in ("ref", "note"):
        return None
    return role, m["value"].strip().rstrip(" .;")

"""Split a written list of units into names without a directory: the fallback of the unit adapter."""

from __future__ import annotations

import re

from .blocks import clean

# Words that open a unit's name. Capitalised ones open a new unit even mid-list ("Sở Tư pháp Sở Nội vụ").
_HEADS = (
    "Sở|Phòng|Văn phòng|Ủy ban|Uỷ ban|UBND|Trung tâm|Công an|Ban Chỉ huy|Ban|Bộ|Đoàn|Hội đồng|Hội|"
    "Liên đoàn|Mặt trận|Kho bạc|Thuế|Bảo hiểm|Đài|Báo|Cục|Chi cục|Viện|Trường|Bệnh viện|Quỹ|Tòa án|Thành ủy|"
    "Đảng ủy|Huyện ủy|Chi nhánh|Cơ quan|Các|Lực lượng|Quân sự|Bộ Chỉ huy|Hạt|Điện lực|Công ty|Tổng công ty"
)
_HEAD_AT = re.compile(r"(?:[,;]\s*|\s+và\s+|\s+)(?=(?:" + _HEADS + r")\b)")
# Inside these phrases "và" and commas belong to one name.
_ATOMIC = (
    r"HĐND và UBND",
    r"Hội đồng nhân dân và Ủy ban nhân dân",
    r"Hội đồng nhân dân và Uỷ ban nhân dân",
    r"[Cc]ác sở, ban, ngành(?:, đoàn thể)?(?: thành phố)?(?:,)? và (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) "
    r"(?:cấp xã|các xã, phường(?:, đặc khu)?|các phường, xã(?:, đặc khu)?)",
    r"Văn phòng (?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?: thành phố| TP| phường| xã)?",
    r"Ủy ban (?:MTTQ|Mặt trận Tổ quốc)(?: Việt Nam)?",
)
_ATOMIC_RE = re.compile("|".join(f"(?:{a})" for a in _ATOMIC))
_COLLECTIVE_START = re.compile(r"\s*(?:,\s*|\bvà\s+)(?=các\s)")
_PLACEHOLDER = "\u2063"


def split_units(text: str) -> list[str]:
    """The unit names in a list such as "Văn phòng HĐND và UBND, các cơ quan, đơn vị có liên quan"."""
    text = clean(text).rstrip(" .;")
    if not text:
        return []
    protected: list[str] = []

    def hide(m: re.Match[str]) -> str:
        protected.append(m[0])
        return f"{_PLACEHOLDER}{len(protected) - 1}{_PLACEHOLDER}"

    masked = _ATOMIC_RE.sub(hide, text)
    parts: list[str] = []
    for chunk in re.split(r"\s*;\s*", masked):
        for piece in _COLLECTIVE_START.split(chunk):
            parts.extend(_split_heads(piece))
    out = []
    for part in parts:
        restored = re.sub(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}", lambda m: protected[int(m[1])], part)
        restored = restored.strip(" ,.;")
        if restored:
            out.append(restored)
    return out


def _split_heads(piece: str) -> list[str]:
    """Split where a capitalised head opens a new unit, if the text before it is a complete name."""
    out: list[str] = []
    start = 0
    for m in _HEAD_AT.finditer(piece):
        before = piece[start : m.start()].strip()
        if m.start() == 0 or not before:
            continue
        joiner = m[0].strip()
        if not joiner and not _is_complete(before):
            continue  # "Văn phòng Sở Tư pháp": a head right after a bare head is part of one name
        if not _HEAD_ONLY.match(before) and _starts_with_head(before):
            out.append(before)
            start = m.end()
    out.append(piece[start:])
    return out


_HEAD_ONLY = re.compile(r"^(?:" + _HEADS + r")$")
_HEAD_START = re.compile(r"^(?:" + _HEADS + r"|" + _PLACEHOLDER + r")", re.IGNORECASE)


def _starts_with_head(text: str) -> bool:
    return _HEAD_START.match(text) is not None


def _is_complete(text: str) -> bool:
    return len(text.split()) >= 2 and not _HEAD_ONLY.match(text)

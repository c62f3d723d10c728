"""A timeframe stated inside a duty's sentence ("... theo chỉ đạo của Bộ Y tế", "... trong tháng 11/2025").

Only phrases introduced by a time relation count: a period that merely names what the duty is about
("kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030") is not when the duty is due.
"""

from __future__ import annotations

import re

_Y = r"(?:19|20)\d\d"
_PERIOD = (
    r"(?:ngày\s+\d{1,2}[/-]\d{1,2}[/-]"
    + _Y
    + r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+"
    + _Y
    + r"|tháng\s+\d{1,2}[/-]"
    + _Y
    + r"|tháng\s+\d{1,2}\s+năm\s+"
    + _Y
    + r"|qu[ýí]\s+(?:IV|I{1,3}|[1-4])[/-]"
    + _Y
    + r"|qu[ýí]\s+(?:IV|I{1,3}|[1-4])\s+năm\s+"
    + _Y
    + r"|năm\s+"
    + _Y
    + r")"
)
_CUES = (
    re.compile(
        r"(?:[Tt]heo|khi có)\s+(?:sự\s+)?chỉ đạo\s+của\s+(?:Bộ|Trung ương|Chính phủ|Thủ tướng|Tổng|"
        r"Ban Chỉ đạo|Quốc hội)[^,;.()]*"
    ),
    re.compile(
        r"(?<![\wÀ-ỹ])khi\s+(?:Bộ|Trung ương|Tổng|Chính phủ|Thủ tướng)[^,;.()]*?"
        r"(?:có văn bản triển khai|triển khai thực hiện|triển khai|ban hành"
        r"|có (?:văn bản|hướng dẫn))"
    ),
    re.compile(
        r"(?:ngay\s+)?(?:trong|trước|vào|đến|chậm nhất(?: là)?(?: trước)?|hoàn thành trước)\s+"
        r"(?:hết\s+)?" + _PERIOD + r"(?:\s*;\s*(?:đến|trước)\s+(?:hết\s+)?" + _PERIOD + r")?",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\wÀ-ỹ])từ\s+(?:ngày|tháng)\s+\d{1,2}(?:/\d{1,2})?(?:/\d{4})?\s+(?:đến|tới)\s+(?:hết\s+)?"
        r"(?:ngày|tháng)\s+\d{1,2}(?:/\d{1,2})?(?:/\d{4})?",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\wÀ-ỹ])(?:hằng|hàng)\s+(?:năm|quý|tháng)(?![\wÀ-ỹ])", re.IGNORECASE),
)


def time_in_sentence(duty: str) -> str | None:
    """The time phrase a duty states, as written, or None."""
    for cue in _CUES:
        m = cue.search(duty)
        if m:
            return m[0].strip(" ,;.")
    return None

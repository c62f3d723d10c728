"""The plan's identity from its Decree 30 header: number, date, title, issuer, what it implements."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from .blocks import clean

# "Số: 57/KH-UBND" anywhere in a header line (after the issuer, before the date), or "Số 57/KH-UBND".
_NUMBER = re.compile(r"(?:^|\s)Số\s*:\s*(?P<num>\S*)|(?:^|\s)Số\s+(?P<bare>\d+/[A-ZĐ][\w.Đ-]*)")
_PLACE_DATE = re.compile(
    r"(?P<place>[^\d,:;]{2,40}?),\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{0,4})",
    re.I,
)
_NUMERIC_DATE = re.compile(
    r"(?P<place>[^\d,:;]{2,40}?),\s*ngày\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})", re.I
)
_DOC_TYPE = re.compile(
    r"^(?P<type>KẾ HOẠCH(?: HÀNH ĐỘNG| LIÊN TỊCH)?|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG| CÔNG TÁC)?)\b\s*(?P<rest>.*)$"
)
_OPENERS = re.compile(r"^(?:Căn cứ|Thực hiện|Để|Nhằm|Trên cơ sở|I\s*[.)])")
# The motto, whole or in the pieces a two-column header leaves when its columns are read line by line.
_MOTTO = re.compile(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc")
_MOTTO_SPLIT = re.compile(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA(?P<rest>.*?)\s*VIỆT NAM")
_ISSUER_CAPS = re.compile(
    r"(?:ỦY|UỶ) BAN NHÂN DÂN\s+(?P<name>(?:THÀNH PHỐ|TỈNH|PHƯỜNG|XÃ|ĐẶC KHU)(?:\s+[^\s\d,.;:]+){1,4})"
)
_ISSUER_BODY = re.compile(
    r"(?:Ủy|Uỷ) ban nhân dân (?P<kind>thành phố|tỉnh|phường|xã"
    r"|đặc khu)(?P<name>(?: [A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s,.;:()]*)*)"
    r" (?:ban hành|xây dựng|triển khai|xây dựng và ban hành)\b"
)
_IMPLEMENTS = re.compile(
    r"(?P<doc>(?:Kế hoạch|Nghị quyết|Quyết định|Chỉ thị|Chương"
    r" trình hành động|Kết luận|Thông báo|Công văn|Văn bản)"
    r"(?: hành động)? (?:số )?\d[\w./-]*/[\w.-]+(?: ngày \d{1,2}(?:/| tháng )\d{1,2}(?:/| năm )\d{4})?"
    r"(?: của (?:Ủy|Uỷ) ban nhân dân (?:thành phố|tỉnh)(?:"
    r" [A-ZĐ][^\s,.;:()]*)*| của (?:Chính phủ|Quốc hội|Bộ Chính trị|"
    r"Thủ tướng Chính phủ|Ban Thường vụ Thành ủy|Ban Chấp hành"
    r" Trung ương|Bộ [A-ZĐ][^\s,.;:()]*(?: [^\s,.;:()]+)?))?)"
)


@dataclass(frozen=True)
class Header:
    """What the header says, before units are resolved."""

    number: str | None
    issued_on: date | None
    place: str | None
    title: str | None
    title_index: int
    issuer_text: str | None
    warnings: tuple[str, ...]


def read_header(paras: list[str]) -> Header:
    """Read number, date, title and issuer from the paragraphs before the body."""
    warnings: list[str] = []
    number, issued_on, place = None, None, None
    title, title_index = None, -1
    for i, text in enumerate(paras[:40]):
        m = _NUMBER.search(text)
        if m and number is None:
            number = _number(m["num"] if m["num"] is not None else m["bare"], warnings)
        dm = _PLACE_DATE.search(text) or _NUMERIC_DATE.search(text)
        if dm and issued_on is None and place is None:
            place = clean(_MOTTO.sub("", dm["place"])).strip(" -") or None
            issued_on = _date(dm["y"], dm["m"], dm["d"], warnings)
        t = _DOC_TYPE.match(text)
        if t and title is None:
            title, title_index = _title(paras, i, t["type"], t["rest"])
            break
    issuer = _issuer(paras, title_index, place)
    if issuer is None:
        warnings.append("Không xác định được cơ quan ban hành kế hoạch; vui lòng chọn cơ quan ban hành.")
    if title is None:
        warnings.append("Không tìm thấy tiêu đề “KẾ HOẠCH” ở đầu văn bản.")
    return Header(number, issued_on, place, title, title_index, issuer, tuple(warnings))


def implemented_documents(preamble: str) -> list[str]:
    """The documents the plan says it implements ("Thực hiện Kế hoạch số 243/KH-UBND ngày ...")."""
    out: list[str] = []
    for m in _IMPLEMENTS.finditer(clean(preamble)):
        doc = m["doc"].strip()
        if not any(doc in seen or seen.startswith(doc) for seen in out):
            out.append(doc)
    return out


def _number(raw: str, warnings: list[str]) -> str | None:
    if raw[:1].isdigit():
        return raw.rstrip(".,;")
    warnings.append("Số kế hoạch để trống (bản dự thảo hoặc chưa lấy số).")
    return None


def _date(y: str, m: str, d: str, warnings: list[str]) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        warnings.append("Ngày ban hành để trống hoặc không hợp lệ.")
        return None


def _title(paras: list[str], i: int, doc_type: str, rest: str) -> tuple[str, int]:
    subject = [rest] if rest else []
    end = i
    for j in range(i + 1, min(i + 6, len(paras))):
        text = paras[j]
        if ((subject or j > i + 1) and _OPENERS.match(text)) or text.startswith("Kính gửi"):
            break
        subject.append(text)
        end = j
        if (
            j == i + 1
            and not _OPENERS.match(text)
            and len(subject) >= 1
            and paras[j + 1 : j + 2]
            and _OPENERS.match(paras[j + 1])
        ):
            break
    words = clean(" ".join(subject))
    kind = doc_type[:1] + doc_type[1:].lower()
    title = f"{kind} {words[:1].lower()}{words[1:]}" if words else kind
    return title, end


def _issuer(paras: list[str], title_index: int, place: str | None) -> str | None:
    head = _MOTTO.sub(" ", " ".join(paras[: max(title_index, 0)]))
    head = _MOTTO_SPLIT.sub(
        lambda m: m["rest"], head
    )  # columns read across: "... CHỦ NGHĨA PHƯỜNG X VIỆT NAM"
    m = _ISSUER_CAPS.search(head)
    if m:
        # The name ends where the capitals end: "PHƯỜNG TÂN HƯNG Số: 57/KH-UBND" in a two-column header table.
        caps = list(itertools.takewhile(lambda w: w.isupper() and w.strip("-_.") != "", m["name"].split()))
        kind, *name = caps
        words = [kind.lower()] + [w.capitalize() for w in name]
        if kind == "THÀNH" and name[:1] == ["PHỐ"]:
            words = ["thành", "phố"] + [w.capitalize() for w in name[1:]]
        return "Ủy ban nhân dân " + " ".join(words)
    for text in paras[max(title_index, 0) : max(title_index, 0) + 8]:
        b = _ISSUER_BODY.search(text)
        if b:
            named = b["name"].strip() or (place or "")
            return clean(f"UBND {b['kind']} {named}") if named else None
    return None

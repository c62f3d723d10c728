"""A grammar of Vietnamese administrative names: where one unit's name ends in a written list.

A list is cut at ";" and line breaks, then read segment by segment (segments are separated by commas and
"và"). A segment opens a new name when it starts with "các", with a named body ("Sở Nội vụ", a head followed
by its name), or with a kind of actor after a named body ("Sở Tài chính và cơ quan liên quan"). Otherwise it
continues the name before it: another administrative level after a council's name ("UBND các xã, phường"),
another kind in a list of kinds ("các sở, ban, ngành, đoàn thể"), or the rest of a name ("Sở Văn hóa, Thể
thao và Du lịch"). The directory never decides where a name ends; it only resolves the names found here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .blocks import clean

# Words that open a body's name. A head followed by more name words is a named body ("Sở Y tế").
HEADS = (
    "Sở|Phòng|Văn phòng|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Trung tâm|Công an|Ban Chỉ huy|Ban Quản lý|Ban|"
    "Bộ Chỉ huy|Bộ|Đoàn|Tỉnh đoàn|Thành đoàn|Hội|Liên đoàn|Liên hiệp|Hiệp hội|Mặt trận|Kho bạc|Thuế|Bảo hiểm|"
    "Đài|Báo|Cục|"
    "Chi cục|Viện|Tòa án|Toà án|Trường|Bệnh viện|Quỹ|Thành ủy|Tỉnh ủy|Đảng ủy|Huyện ủy|Chi nhánh|Ngân hàng|"
    "Lực lượng|Hạt|Điện lực|Công ty|Tổng công ty|Cơ quan|Chủ tịch|Thủ trưởng|Giám đốc|Bộ CHQS|BCH"
)
# Kinds of actors written in lower case ("cơ quan", "đơn vị"): a list of them is one collective.
KINDS = (
    "sở|ban|ngành|đoàn thể|cơ quan|đơn vị|địa phương|tổ chức|hội|viện|trường|doanh nghiệp|nhà cung cấp|"
    "nhà đầu tư|cá nhân|báo|đài|phòng|hợp tác xã|cơ sở|lực lượng|hội viên|đoàn viên|trung tâm|ngân hàng|"
    "chính quyền|cơ quan báo chí|các"
)
# Administrative levels: after a council's or a police force's name they continue it ("UBND các xã, phường").
LEVELS = r"xã|phường|đặc khu|thị trấn|thị xã|huyện|quận|tỉnh|thành phố|cấp xã|cấp huyện|cấp tỉnh|khu vực"
_HEAD_RE = re.compile(r"^(?:" + HEADS + r")(?![\wÀ-ỹ])")
_KIND_RE = re.compile(r"^(?:" + KINDS + r")(?![\wÀ-ỹ])", re.IGNORECASE)
_LEVEL_RE = re.compile(r"^(?:các\s+)?(?:" + LEVELS + r")(?![\wÀ-ỹ])")
_LEVEL_END = re.compile(r"(?:^|\s)(?:" + LEVELS + r")$")
# Inside these phrases "và" and commas belong to one name (collectives the directory knows as one group).
_ATOMIC = (
    r"HĐND và UBND",
    r"Hội đồng nhân dân và (?:Ủy|Uỷ) ban nhân dân",
    r"[Cc]ác sở, ban, ngành(?:, đoàn thể)?(?: thành phố)?(?:,)? và (?:UBND|(?:Ủy|Uỷ) ban nhân dân) "
    r"(?:cấp xã|các xã, phường(?:, đặc khu)?|các phường, xã(?:, đặc khu)?)",
    r"(?:Ủy|Uỷ) ban (?:MTTQ|Mặt trận Tổ quốc)(?: Việt Nam)?",
    r"\([^()]*\)",
)
_ATOMIC_RE = re.compile("|".join(f"(?:{a})" for a in _ATOMIC))
_HIDE = "\u2063"
_SEPARATOR = re.compile(r"\s*,\s*|\s+và\s+|\s+cùng\s+")
# A head right after a complete name, without a separator, opens a second name ("Sở Tư pháp Sở Nội vụ").
_RUN_ON = re.compile(r"\s(?=(?:Sở|UBND|(?:Ủy|Uỷ) ban nhân dân|Công an|Bộ Chỉ huy|Ban Quản lý)\s+[A-ZĐÀ-Ỹ])")
_OFFICE = re.compile(r"^(?:Văn phòng|Phòng|Chủ tịch|Thủ trưởng|Giám đốc|Lãnh đạo)\b")
_SUBORDINATE = re.compile(r"(?:thuộc|trực thuộc|của|tại|qua)$")
# Qualifiers that follow a name but are not part of it.
_QUALIFIER = re.compile(
    r"\s+(?:theo|trong phạm vi|trên cơ sở|căn cứ|thuộc phạm vi|tùy theo|tuỳ theo)\s+(?:chức năng|phạm vi|"
    r"thẩm quyền|lĩnh vực|nhiệm vụ|quy định|địa bàn|ngành|điều kiện).*$|\s*\((?:nếu có)\)$",
    re.IGNORECASE,
)
_LABEL_WORDS = re.compile(
    r"^(?:cơ quan|đơn vị|bộ phận)\s*(?:chủ trì|phối hợp|thực hiện|phụ trách)(?:\s+thực hiện)?$|"
    r"^(?:chủ trì|phối hợp|thực hiện)$",
    re.IGNORECASE,
)


def split_units(text: str) -> list[str]:
    """The unit names in a list such as "Văn phòng HĐND và UBND, các cơ quan, đơn vị có liên quan"."""
    text = clean(text).strip(" .;,:")
    if not text:
        return []
    protected: list[str] = []

    def hide(m: re.Match[str]) -> str:
        protected.append(m[0])
        return f"{_HIDE}{len(protected) - 1}{_HIDE}"

    def show(s: str) -> str:
        return re.sub(f"{_HIDE}(\\d+){_HIDE}", lambda m: protected[int(m[1])], s)

    masked = _ATOMIC_RE.sub(hide, text)
    out: list[str] = []
    for chunk in re.split(r"\s*[;\n]\s*", masked):
        for name in _names(chunk, show):
            name = _trim(show(name))
            if name and is_unit_name(name):
                out.append(name)
    return list(dict.fromkeys(out))


def _names(chunk: str, show: Callable[[str], str]) -> list[str]:
    """Read one chunk segment by segment, deciding at each separator whether a new name opens."""
    pieces = _SEPARATOR.split(chunk)
    seps = _SEPARATOR.findall(chunk)
    names: list[str] = []
    for i, piece in enumerate(pieces):
        piece = piece.strip()
        if not piece:
            continue
        if names and not _opens_name(show(names[-1]), show(piece)):
            joiner = "," if seps[i - 1].strip() == "," else " " + seps[i - 1].strip()
            names[-1] = f"{names[-1]}{joiner} {piece}"
            continue
        names.append(piece)
    return [part for name in names for part in _run_on(name)]


def _opens_name(current: str, piece: str) -> bool:
    if re.match(r"^các\s", piece, re.IGNORECASE) and not _LEVEL_RE.match(piece):
        return True
    if _LEVEL_RE.match(piece):
        return not (_LEVEL_END.search(current) or re.search(r"\b(?:các|cấp)\s", current))
    head = _HEAD_RE.match(piece)
    if head:
        named = len(piece.split()) > len(head[0].split())
        if not named:  # a bare head in a list ("Sở, ban, ngành", "Viện, Trường") continues a list of kinds
            return not is_kind_list(current)
        return True
    if _KIND_RE.match(piece):
        return not is_kind_list(current)
    return False  # the rest of a name: "Thể thao và Du lịch", "Truyền hình tỉnh"


def is_kind_list(name: str) -> bool:
    """Whether a name is a collective of kinds ("các sở, ban", "Doanh nghiệp") rather than a named body."""
    words = re.sub(r"^các\s+", "", name.strip(), flags=re.IGNORECASE)
    kind = _KIND_RE.match(words)
    if kind is None:
        return False  # "Công an" is a body, not a kind
    # "cơ quan, đơn vị", "Viện, Trường", "Doanh nghiệp, nhà đầu tư": a kind in lower case or standing alone
    return words[:1].islower() or words == kind[0] or words[len(kind[0]) :][:1] == ","


def _run_on(name: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _RUN_ON.finditer(name):
        before = name[start : m.start()].strip()
        complete = len(before.split()) >= 2 and _HEAD_RE.match(before) and not _SUBORDINATE.search(before)
        if complete and not _OFFICE.match(before):
            out.append(before)
            start = m.end()
    out.append(name[start:].strip())
    return out


def _trim(name: str) -> str:
    name = re.sub(r"^(?:Đề nghị|Giao|Yêu cầu)\s+", "", name.strip(" ,.;:"))
    name = _QUALIFIER.sub("", name)
    return name.strip(" ,.;:")


def is_unit_name(name: str) -> bool:
    """Never a label word, a verb phrase, a bare level or a fragment as a unit."""
    if _LABEL_WORDS.match(name) or len(name) < 2:
        return False
    if re.match(r"^(?:" + LEVELS + r"|thuộc|của|tại|và|với)(?:\s|$)", name):
        return False
    first = name.split()[0]
    if first[:1].islower() and not (_KIND_RE.match(name) or re.match(r"^các\s", name)):
        return False
    return len(name.split()) <= 25

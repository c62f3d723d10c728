"""Vietnamese administrative time expressions ("Quý II/2026", "Thường xuyên", "6 tháng") as dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .blocks import clean
from .markers import roman_value
from .model import Recurrence, Timeframe

_Y = r"(?P<{0}>(?:19|20)\d\d)"
_SEP = r"\s*(?:/|-|năm)\s*"
_QUARTER = r"(?P<{0}>IV|I{{1,3}}|[1-4])"
# Dates of documents referred to ("Quyết định số 1785/QĐ-TTg ngày 19/8/2025") are not deadlines.
_DOC_REF = re.compile(
    r"(?:số\s+)?\S+/[\wĐđ-]+\s+ngày\s+\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4}", re.IGNORECASE
)
_DATE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})\s*[/-]\s*(?P<y>(?:19|20)\d\d)(?!\d)")
_WORD_DATE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20)\d\d)", re.I)
_MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})" + _SEP + _Y.format("y") + r"(?!\d)", re.IGNORECASE)
_QUARTER_RE = re.compile(r"quý\s+" + _QUARTER.format("q") + _SEP + _Y.format("y"), re.IGNORECASE)
_HALF = re.compile(r"6\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+" + _Y.format("y"), re.IGNORECASE)
_YEAR = re.compile(r"(?<![/\d-])(?:năm\s+)?" + _Y.format("y") + r"(?![\d/])", re.IGNORECASE)
_SPAN = re.compile(r"(?:giai đoạn|năm|từ năm)?\s*" + _Y.format("a") + r"\s*[-–]\s*" + _Y.format("b"), re.I)
_RANGE = re.compile(r"\btừ\s+(?P<a>.+?)\s+(?:đến|tới)\s+(?:hết\s+)?(?P<b>.+)", re.IGNORECASE)

_RECURRENCE: tuple[tuple[Recurrence, re.Pattern[str]], ...] = (
    ("monthly", re.compile(r"h[ằà]ng tháng|định kỳ tháng|mỗi tháng", re.I)),
    ("quarterly", re.compile(r"h[ằà]ng quý|định kỳ quý|mỗi quý", re.I)),
    ("semiannual", re.compile(r"(?<!\d)0?6 tháng(?! (?:đầu|cuối) năm \d)|sáu tháng|nửa năm", re.I)),
    ("annual", re.compile(r"h[ằà]ng năm|định kỳ năm|mỗi năm", re.I)),
)
_ONGOING = re.compile(r"thường xuyên|liên tục|những năm tiếp theo|các năm tiếp theo|năm tiếp theo", re.I)
_OPEN_ENDED = re.compile(r"(?:và|,)\s*(?:những|các)\s+năm tiếp theo", re.I)
_REQUEST = re.compile(r"khi có yêu cầu|theo yêu cầu|khi được yêu cầu|khi cần thiết", re.I)
# Triggers and directions: the timing is set by someone else's act or schedule.
_DIRECTION = re.compile(
    r"theo (?:sự )?chỉ đạo|khi có chỉ đạo|sau khi|theo tiến độ|theo lộ trình|theo kế hoạch|"
    r"khi (?:Bộ|Trung ương|TW|Chính phủ|Thủ tướng|Tổng|cấp trên|có (?:văn bản|hướng dẫn|quy định))",
    re.I,
)
_START_ONLY = re.compile(r"^\s*(?:bắt đầu\s+)?từ\s+(?!.*\b(?:đến|tới)\b)", re.I)
_BARE_SPAN = re.compile(r"(?P<a>.+?)\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?P<b>(?:ngày|tháng|quý|năm).+)$", re.I)


@dataclass(frozen=True)
class _Period:
    start: date
    end: date
    pos: int


def interpret(text: str | None, year: int | None = None) -> Timeframe:
    """Read one timeframe as written; dates come only from numbers in the text (or `year`, the plan's own,
    for a day written without one). The kind is chosen by precedence, not by position: a recurrence, then
    an open-ended or start-only phrase, then a due period, then a request, then a trigger or direction."""
    if text is None or not clean(text):
        return Timeframe()
    written = clean(text).rstrip(" .;,")
    scan = _normalise(_DOC_REF.sub(lambda m: " " * len(m[0]), written))
    recurrence = [name for name, pat in _RECURRENCE if pat.search(scan)]
    if recurrence:
        return Timeframe(text=written, kind="recurring", recurrence=recurrence)
    periods = _periods(scan)
    if not periods and year is not None:
        periods = _periods(_with_year(scan, year))
        scan = _with_year(scan, year) if periods else scan
    if _OPEN_ENDED.search(scan) or (_START_ONLY.match(scan) and periods):
        start = periods[0].start if periods else None
        return Timeframe(text=written, kind="ongoing", start=start)
    if _ONGOING.search(scan) and not periods:
        return Timeframe(text=written, kind="ongoing")
    if periods:
        return _deadline(written, scan, periods)
    if _REQUEST.search(scan):
        return Timeframe(text=written, kind="on_request")
    if _DIRECTION.search(scan):
        return Timeframe(text=written, kind="on_direction")
    return Timeframe(text=written)


def _normalise(text: str) -> str:
    """One spelling: "Quí" is "quý", "quý I, II/2026" is its last quarter, "III-2026" is "III/2026"."""
    text = re.sub(r"(?<=\d)\s*/\s*(?=\d)", "/", text)
    text = re.sub(r"\b[Qq]u[íi]\b", "quý", text)
    text = re.sub(
        r"(quý\s+)(?:(?:IV|I{1,3}|[1-4])\s*,\s*)+(?=(?:IV|I{1,3}|[1-4])\s*[/-]\s*\d{4})",
        r"\1",
        text,
        flags=re.I,
    )
    return re.sub(r"(quý\s+(?:IV|I{1,3}|[1-4]))\s*-\s*(?=(?:19|20)\d\d)", r"\1/", text, flags=re.I)


def _with_year(text: str, year: int) -> str:
    """ "ngày 15/12" in a plan of 2025 is 15/12/2025: the plan's year lent to a day written without one."""
    return re.sub(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])", lambda m: f"{m[1]}/{m[2]}/{year}", text)


def _deadline(written: str, scan: str, periods: list[_Period]) -> Timeframe:
    ranged = _RANGE.search(scan)
    if ranged:
        starts = _periods(ranged["a"], ranged["b"])
        ends = _periods(ranged["b"])
        if ends:
            start = starts[0].start if starts and starts[0].start <= ends[-1].end else None
            return Timeframe(text=written, kind="deadline", start=start, due=ends[-1].end)
    bare = _BARE_SPAN.match(scan)
    if bare and not ranged:
        starts, ends = _periods(bare["a"], bare["b"]), _periods(bare["b"])
        if starts and ends and starts[0].start <= ends[-1].end:
            return Timeframe(text=written, kind="deadline", start=starts[0].start, due=ends[-1].end)
    span = _SPAN.search(scan)
    if span and int(span["a"]) < int(span["b"]):
        return Timeframe(
            text=written, kind="deadline", start=date(int(span["a"]), 1, 1), due=date(int(span["b"]), 12, 31)
        )
    return Timeframe(text=written, kind="deadline", due=max(p.end for p in periods))


def _periods(text: str, context: str = "") -> list[_Period]:
    """Every calendar period named in `text`, most specific first at each position.

    `context` lends its year to a period written without one ("từ tháng 5 đến tháng 8/2026").
    """
    found: list[_Period] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], start: date, end: date) -> None:
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(_Period(start, end, m.start()))

    for pattern in (_DATE, _WORD_DATE):
        for m in pattern.finditer(text):
            day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if day:
                add(m, day, day)
    for m in _HALF.finditer(text):
        y = int(m["y"])
        add(
            m,
            *(
                (date(y, 1, 1), date(y, 6, 30))
                if m["h"].lower() == "đầu"
                else (date(y, 7, 1), date(y, 12, 31))
            ),
        )
    for m in _QUARTER_RE.finditer(text):
        q = int(m["q"]) if m["q"].isdigit() else roman_value(m["q"]) or 0
        add(m, *_quarter(int(m["y"]), q))
    for m in _MONTH.finditer(text):
        if 1 <= int(m["m"]) <= 12:
            add(m, *_month(int(m["y"]), int(m["m"])))
    for m in _YEAR.finditer(text):
        add(m, date(int(m["y"]), 1, 1), date(int(m["y"]), 12, 31))
    context_year = re.search(r"(?:19|20)\d\d", context)
    if context_year and not found:
        found.extend(_yearless(text, int(context_year[0])))
    return sorted(found, key=lambda p: p.pos)


def _yearless(text: str, year: int) -> list[_Period]:
    out: list[_Period] = []
    m = re.search(r"quý\s+" + _QUARTER.format("q") + r"\b", text, re.IGNORECASE)
    if m:
        q = int(m["q"]) if m["q"].isdigit() else roman_value(m["q"]) or 0
        out.append(_Period(*_quarter(year, q), m.start()))
    m = re.search(r"tháng\s+(?P<m>\d{1,2})\b", text, re.IGNORECASE)
    if m and 1 <= int(m["m"]) <= 12:
        out.append(_Period(*_month(year, int(m["m"])), m.start()))
    return out


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _quarter(y: int, q: int) -> tuple[date, date]:
    q = min(max(q, 1), 4)
    return date(y, 3 * q - 2, 1), _month(y, 3 * q)[1]

"""The narrative skeleton: sentences with the figures filled in, placeholders for judgement.

The body is what a compiler reads and signs, so it summarises by counts and names only the units that
matter (wards that issued their own plan, lead units overdue, units still owing a report when they are
few); the full lists stay in the appendices and the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence

from dondoc.kernel.status import REPORTED_STATUSES, TaskStatus
from services.reporting.domain.quotes import SharedQuote, shared_quotes
from services.reporting.domain.rates import Rate, StatusCounts
from services.reporting.domain.submission import NarrativeSection, Paragraph, Quote, Submission
from services.reporting.domain.units import KIND_LABELS
from services.reporting.domain.vi import format_date, format_int, vi_sort_key

BLANK = "…"
NAMED_AT_MOST = 10  # names in one sentence before the rest go by count
QUOTED_AT_MOST = 20  # distinct quotes in the body; the workbook keeps every one
WORKBOOK = "tệp Excel (XLSX) kèm theo"


def _figures(text: str) -> Paragraph:
    return Paragraph("figures", text)


def _placeholder(text: str) -> Paragraph:
    return Paragraph("placeholder", f"[{text}]")


def _share(count: int, rate: Rate) -> str:
    return f"{format_int(count)} ({rate.text})"


def named(names: Sequence[str], at_most: int = NAMED_AT_MOST, noun: str = "đơn vị") -> str:
    """'A, B, C' — or the first few and 'và 12 đơn vị khác' when the list is long."""
    if len(names) <= at_most:
        return ", ".join(names)
    return f"{', '.join(names[:at_most])} và {format_int(len(names) - at_most)} {noun} khác"


def status_sentence(subject: str, counts: StatusCounts) -> str:
    """'Tổng số 17 nhiệm vụ, đã hoàn thành đúng hạn 5 (29,4%), …' for any set of counts."""
    parts = [
        f"{s.label.lower() if i else 'đã ' + s.label.lower()} {_share(counts.count(s), counts.share(s))}"
        for i, s in enumerate(REPORTED_STATUSES)
    ]
    return f"Tổng số {format_int(counts.total)} {subject}, " + "; ".join(parts) + "."


def build_narrative(sub: Submission) -> tuple[NarrativeSection, ...]:
    """Sections I–III of the report body, in the order a compiler edits them."""
    return (
        _opening(sub),
        _results(sub),
        _quotes_section(sub, difficulties=True),
        _quotes_section(sub, False),
    )


def _opening(sub: Submission) -> NarrativeSection:
    plan = sub.plan
    text = (
        f"Thực hiện Kế hoạch số {plan.number or BLANK} ngày {format_date(plan.issued_on, BLANK)} "
        f"của {plan.issuer_name} ({plan.title}), Ủy ban nhân dân thành phố báo cáo kết quả thực hiện "
        f"từ ngày {format_date(sub.period_start)} đến ngày {format_date(sub.period_end)} như sau:"
    )
    if not sub.period_closed:
        text = text[:-1] + (f" (kỳ báo cáo chưa kết thúc; số liệu tính đến ngày {format_date(sub.as_of)}):")
    return NarrativeSection("", (_figures(text),))


def _results(sub: Submission) -> NarrativeSection:
    paragraphs = [Paragraph("subheading", "1. Công tác chỉ đạo, triển khai")]
    paragraphs.append(_placeholder("Đánh giá chung về công tác chỉ đạo, triển khai thực hiện Kế hoạch"))
    paragraphs.extend(_cascade_paragraphs(sub))
    paragraphs.append(Paragraph("subheading", "2. Kết quả thực hiện nhiệm vụ"))
    paragraphs.append(_figures(status_sentence("nhiệm vụ", sub.task_counts)))
    not_reported = sum(len(t.not_reported) for t in sub.tasks)
    paragraphs.append(
        _figures(
            status_sentence("lượt đơn vị được giao", sub.assignment_counts)[:-1]
            + f". Còn {format_int(not_reported)} lượt đơn vị chưa báo cáo kết quả "
            f"(danh sách đầy đủ theo từng đơn vị tại {WORKBOOK})."
        )
    )
    paragraphs.extend(_overdue_paragraphs(sub))
    paragraphs.append(_placeholder("Đánh giá chung về kết quả thực hiện nhiệm vụ"))
    paragraphs.append(Paragraph("subheading", "3. Tình hình gửi báo cáo"))
    paragraphs.extend(_reporting_paragraphs(sub))
    return NarrativeSection("I. KẾT QUẢ THỰC HIỆN", tuple(paragraphs))


def _cascade_paragraphs(sub: Submission) -> list[Paragraph]:
    plans: dict[str, tuple[str, str]] = {}  # code → (name, plan number)
    for row in sub.cascade:
        for plan in row.issued:
            plans.setdefault(plan.unit_code, (plan.unit_name, plan.plan_number))
    # Codes on both sides: a ward that issued a plan for one task and is pending on another is one ward.
    concerned = plans.keys() | {code for row in sub.cascade for code in row.pending_codes}
    if not concerned:
        return []
    wards = Rate(len(plans), len(concerned))
    text = (
        f"Có {format_int(len(plans))}/{format_int(wards.denominator)} UBND cấp xã "
        f"được giao nhiệm vụ đã ban hành kế hoạch thực hiện ({wards.text})"
    )
    if plans:
        named_plans = sorted(plans.values(), key=lambda plan: vi_sort_key(plan[0]))
        text += f": {named([f'{name} (Kế hoạch số {number})' for name, number in named_plans])}"
    return [_figures(text + "; chi tiết theo từng nhiệm vụ tại Phụ lục III.")]


def _overdue_paragraphs(sub: Submission) -> list[Paragraph]:
    """Each task with lead units overdue, and those leads by name: who must be urged on."""
    lines = []
    for task in sub.tasks:
        leads = [u.unit_name for u in task.units if u.role == "chu_tri" and u.status is TaskStatus.OVERDUE]
        if leads:
            due = f" (hạn {format_date(task.due)})" if task.due else ""
            lines.append(
                _figures(
                    f"- Nhiệm vụ {task.ref}{due}: {format_int(len(leads))} đơn vị chủ trì quá hạn "
                    f"chưa hoàn thành: {named(leads)}."
                )
            )
    if not lines:
        return [_figures("Không có đơn vị chủ trì nào quá hạn chưa hoàn thành nhiệm vụ.")]
    overdue = sum(t.status is TaskStatus.OVERDUE for t in sub.tasks)
    head = f"Có {format_int(len(lines))} nhiệm vụ có đơn vị chủ trì quá hạn chưa hoàn thành"
    if overdue:
        head += f" (trong đó {format_int(overdue)} nhiệm vụ quá hạn chưa hoàn thành)"
    return [_figures(head + ":"), *lines]


def _reporting_paragraphs(sub: Submission) -> list[Paragraph]:
    city = sub.reporting.city
    paragraphs = [
        _figures(
            f"Đã nhận {format_int(city.received)}/{format_int(city.expected)} báo cáo "
            f"(đạt {city.completeness.text}), trong đó {_share(city.on_time, city.timeliness)} "
            "báo cáo gửi đúng hạn."
        )
    ]
    for kind, row in sub.reporting.by_kind:
        paragraphs.append(
            _figures(
                f"- {KIND_LABELS[kind]}: đã nhận {format_int(row.received)}/{format_int(row.expected)} "
                f"báo cáo ({row.completeness.text}), đúng hạn {_share(row.on_time, row.timeliness)}."
            )
        )
    for missing, what in ((True, "chưa gửi báo cáo"), (False, "gửi báo cáo quá hạn")):
        names = [
            row.unit_name
            for row in sub.reporting.by_unit
            if (row.missing_periods if missing else row.late_periods)
        ]
        if names:
            paragraphs.append(
                _figures(
                    f"Có {format_int(len(names))} đơn vị {what}: {named(names)} (danh sách tại Phụ lục II)."
                )
            )
    return paragraphs


def quote_sentence(quote: Quote) -> str:
    """'- UBND phường X (Nhiệm vụ PL.2): “…”' — the unit's words, attributed."""
    return f"- {quote.unit_name} ({quote.source}): “{quote.text}”"


def shared_sentence(shared: SharedQuote) -> str:
    """One unit's words as quote_sentence; the same words from many units once, with who wrote them."""
    names = shared.unit_names
    if len(names) == 1:
        sources = ", ".join(dict.fromkeys(q.source for q in shared.quotes))
        return f"- {names[0]} ({sources}): “{shared.text}”"
    return f"- “{shared.text}” ({format_int(len(names))} đơn vị nêu: {named(names, 3)})"


def _quotes_section(sub: Submission, difficulties: bool) -> NarrativeSection:
    if difficulties:
        heading, quotes = "II. KHÓ KHĂN, VƯỚNG MẮC", sub.difficulties
        judgement = "Đánh giá chung về khó khăn, vướng mắc và nguyên nhân"
        none = "Không có đơn vị nêu khó khăn, vướng mắc."
        lead = "Khó khăn, vướng mắc do các đơn vị nêu:"
    else:
        heading, quotes = "III. ĐỀ XUẤT, KIẾN NGHỊ", sub.proposals
        judgement = "Đề xuất, kiến nghị của Ủy ban nhân dân thành phố với Bộ Tư pháp"
        none = "Không có đơn vị nêu đề xuất, kiến nghị."
        lead = "Đề xuất, kiến nghị do các đơn vị nêu:"
    paragraphs = [_placeholder(judgement)]
    paragraphs.append(_figures(lead if quotes else none))
    grouped = shared_quotes(quotes)
    paragraphs.extend(Paragraph("quote", shared_sentence(s)) for s in grouped[:QUOTED_AT_MOST])
    if len(grouped) > QUOTED_AT_MOST:
        rest = len(grouped) - QUOTED_AT_MOST
        paragraphs.append(_figures(f"Và {format_int(rest)} ý kiến khác, ghi đầy đủ tại {WORKBOOK}."))
    return NarrativeSection(heading, tuple(paragraphs))

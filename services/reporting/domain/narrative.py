"""The narrative skeleton: sentences with the figures filled in, placeholders for judgement."""

from __future__ import annotations

from services.reporting.domain.rates import Rate, StatusCounts
from services.reporting.domain.status import STATUS_ORDER, TaskStatus
from services.reporting.domain.submission import NarrativeSection, Paragraph, Quote, Submission
from services.reporting.domain.units import KIND_LABELS
from services.reporting.domain.vi import format_date, format_int

BLANK = "…"


def _figures(text: str) -> Paragraph:
    return Paragraph("figures", text)


def _placeholder(text: str) -> Paragraph:
    return Paragraph("placeholder", f"[{text}]")


def _share(count: int, rate: Rate) -> str:
    return f"{format_int(count)} ({rate.text})"


def status_sentence(subject: str, counts: StatusCounts) -> str:
    """'Tổng số 17 nhiệm vụ, đã hoàn thành đúng hạn 5 (29,4%), …' for any set of counts."""
    parts = [
        f"{s.label.lower() if i else 'đã ' + s.label.lower()} {_share(counts.count(s), counts.share(s))}"
        for i, s in enumerate(STATUS_ORDER)
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
    # Codes on both sides: a ward that issued a plan for one task and is pending on another is one ward.
    issued = {plan.unit_code for row in sub.cascade for plan in row.issued}
    concerned = issued | {code for row in sub.cascade for code in row.pending_codes}
    if concerned:
        wards = Rate(len(issued), len(concerned))
        paragraphs.append(
            _figures(
                f"Có {format_int(len(issued))}/{format_int(wards.denominator)} UBND cấp xã "
                f"được giao nhiệm vụ đã ban hành kế hoạch thực hiện ({wards.text})."
            )
        )
    paragraphs.append(Paragraph("subheading", "2. Kết quả thực hiện nhiệm vụ"))
    paragraphs.append(_figures(status_sentence("nhiệm vụ", sub.task_counts)))
    not_reported = sum(len(t.not_reported) for t in sub.tasks)
    paragraphs.append(
        _figures(
            status_sentence("lượt đơn vị được giao", sub.assignment_counts)[:-1]
            + f". Còn {format_int(not_reported)} lượt đơn vị chưa báo cáo kết quả."
        )
    )
    overdue = [t for t in sub.tasks if t.status is TaskStatus.OVERDUE]
    if overdue:
        listed = "; ".join(f"{t.ref} (hạn {format_date(t.due)})" for t in overdue)
        paragraphs.append(_figures(f"Các nhiệm vụ quá hạn chưa hoàn thành: {listed}."))
    paragraphs.append(_placeholder("Đánh giá chung về kết quả thực hiện nhiệm vụ"))
    paragraphs.append(Paragraph("subheading", "3. Tình hình gửi báo cáo"))
    paragraphs.extend(_reporting_paragraphs(sub))
    return NarrativeSection("I. KẾT QUẢ THỰC HIỆN", tuple(paragraphs))


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
    missing = [row.unit_name for row in sub.reporting.by_unit if row.missing_periods]
    if missing:
        paragraphs.append(_figures(f"Các đơn vị chưa gửi báo cáo: {', '.join(missing)}."))
    late = [row.unit_name for row in sub.reporting.by_unit if row.late_periods]
    if late:
        paragraphs.append(_figures(f"Các đơn vị gửi báo cáo quá hạn: {', '.join(late)}."))
    return paragraphs


def quote_sentence(quote: Quote) -> str:
    """'- UBND phường X (Nhiệm vụ PL.2): “…”' — the unit's words, attributed."""
    return f"- {quote.unit_name} ({quote.source}): “{quote.text}”"


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
    paragraphs.extend(Paragraph("quote", quote_sentence(q)) for q in quotes)
    return NarrativeSection(heading, tuple(paragraphs))

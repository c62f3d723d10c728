"""A result or report returned for correction reads as correct Vietnamese, quoting the compiler's reason."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from services.notify.domain.messages import build_digest, render
from services.notify.domain.notices import PlanRef, ReturnedNotice

PLAN = PlanRef(title="Kế hoạch triển khai thi hành Luật Đất đai năm 2024", number="243/KH-UBND")
REASON = "Chưa nêu số liệu diện tích đất công đã rà soát;\nđề nghị bổ sung biểu mẫu số 02."
LINK = "https://dondoc.example/tiep-nhan/results/kq-11407-7"


def _returned_result() -> ReturnedNotice:
    return ReturnedNotice(
        unit_name="UBND phường An Biên",
        submission="result",
        version=2,
        note=REASON,
        returned_on=date(2026, 7, 3),
        link=LINK,
        plan=PLAN,
    )


def _returned_report() -> ReturnedNotice:
    return ReturnedNotice(
        unit_name="UBND phường An Biên",
        submission="report",
        version=1,
        note="Số liệu kỳ trước bị lặp lại.",
        returned_on=date(2026, 7, 4),
        link="https://dondoc.example/tiep-nhan/reports/bc-11407-s1",
    )


_LEAKS = re.compile(r"\b(None|True|False|null|result|report|returned|plan|unit|note|version|Undefined)\b")


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+?(?=[\s\"<]|$)", "", text)


def test_a_returned_result_names_the_plan_quotes_the_reason_and_asks_for_a_corrected_version() -> None:
    message = render(_returned_result())
    assert message.kind == "returned"
    assert message.subject == "Kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND cần chỉnh sửa"
    assert "Kính gửi: UBND phường An Biên" in message.text
    assert (
        "Ngày 03/07/2026, cơ quan tổng hợp đã trả lại kết quả thực hiện nhiệm vụ (phiên bản 2)"
        in message.text
    )
    assert f"Lý do trả lại:\n{REASON}\n" in message.text
    assert "gửi lại phiên bản mới" in message.text and LINK in message.text
    assert "Kế hoạch số 243/KH-UBND" in message.html and f'href="{LINK}"' in message.html
    assert REASON in message.html
    assert message.link == LINK


def test_a_returned_report_without_a_known_plan_says_less_but_still_quotes_the_reason() -> None:
    message = render(_returned_report())
    assert message.subject == "Báo cáo định kỳ cần chỉnh sửa"
    assert "trả lại báo cáo định kỳ (phiên bản 1) của đơn vị để chỉnh sửa" in message.text
    assert "Số liệu kỳ trước bị lặp lại." in message.text
    assert "Kế hoạch" not in message.text


def test_a_return_without_a_reason_tells_the_unit_whom_to_ask() -> None:
    message = render(replace(_returned_result(), note=None))
    assert "Lý do trả lại:" not in message.text
    assert "không ghi lý do trả lại" in message.text and "không ghi lý do trả lại" in message.html


def test_the_reason_is_escaped_in_html_and_literal_in_plain_text() -> None:
    message = render(replace(_returned_result(), note="Thiếu <phụ lục> & biểu mẫu"))
    assert "Thiếu &lt;phụ lục&gt; &amp; biểu mẫu" in message.html
    assert "<phụ lục>" not in message.html
    assert "Thiếu <phụ lục> & biểu mẫu" in message.text


@pytest.mark.parametrize("notice", [_returned_result(), _returned_report()], ids=lambda n: n.submission)
def test_no_english_or_identifier_leaks_and_every_part_is_nfc(notice: ReturnedNotice) -> None:
    decomposed = replace(notice, unit_name=unicodedata.normalize("NFD", notice.unit_name))
    message = render(decomposed)
    parts = "\n".join((message.subject, message.text, message.html))
    assert _LEAKS.findall(_without_links(parts).replace("dondoc.example", "")) == []
    assert "\n" not in message.subject
    assert all(
        unicodedata.is_normalized("NFC", part) for part in (message.subject, message.text, message.html)
    )


def test_several_returns_of_one_plan_leave_as_one_digest_listing_each_reason() -> None:
    report = replace(_returned_report(), plan=PLAN)
    message = build_digest([_returned_result(), report])
    assert message.item_count == 2
    assert message.subject == "2 kết quả, báo cáo bị trả lại cần chỉnh sửa theo Kế hoạch số 243/KH-UBND"
    assert "1. Kết quả thực hiện nhiệm vụ (phiên bản 2), trả lại ngày 03/07/2026" in message.text
    assert "2. Báo cáo định kỳ (phiên bản 1), trả lại ngày 04/07/2026" in message.text
    assert "Chưa nêu số liệu diện tích đất công đã rà soát;" in message.text
    assert "Số liệu kỳ trước bị lặp lại." in message.text and "Số liệu kỳ trước bị lặp lại." in message.html
    assert LINK in message.html and report.link in message.text


def test_a_returned_report_names_its_period_when_the_review_says_it() -> None:
    notice = replace(_returned_report(), period_label="2026-S1")
    message = render(notice)
    assert message.subject == "Báo cáo kỳ 2026-S1 cần chỉnh sửa"
    assert "trả lại báo cáo kỳ 2026-S1 (phiên bản 1) của đơn vị để chỉnh sửa" in message.text
    assert "báo cáo kỳ 2026-S1" in message.html

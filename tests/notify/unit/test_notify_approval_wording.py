"""What waits for a unit's leader, and what the leader returned, read as correct Vietnamese (ADR 0120): who
sent it, about what, the leader's reason, and where to act."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from services.notify.domain import wording
from services.notify.domain.codec import notice_from_json, notice_to_json
from services.notify.domain.messages import build_digest, render
from services.notify.domain.notices import ApprovalReturnedNotice, ApprovalWaitingNotice, PlanRef
from services.notify.domain.routing import Preferences, channels_for

PLAN = PlanRef(title="Kế hoạch triển khai thi hành Luật Đất đai năm 2024", number="243/KH-UBND")
TASK = "Rà soát, thống kê đất công  trên địa bàn"
APPROVALS = "https://dondoc.example/tiep-nhan/workspace/approvals"
ASSIGNMENT = "https://dondoc.example/tiep-nhan/workspace/assignments/a-1"
REPORT = "https://dondoc.example/tiep-nhan/workspace/reports/kh-243/2026-S1?unit=11407"
REASON = "Thiếu số, ngày ban hành văn bản;\nđề nghị ghi rõ diện tích đã rà soát."


def _waiting_result() -> ApprovalWaitingNotice:
    return ApprovalWaitingNotice(
        unit_name="UBND phường An Biên",
        submission="result",
        sender_name="Nguyễn Thị Hoa",
        submitted_on=date(2026, 12, 7),
        link=APPROVALS,
        plan=PLAN,
        task_title=TASK,
    )


def _waiting_report() -> ApprovalWaitingNotice:
    return ApprovalWaitingNotice(
        unit_name="UBND phường An Biên",
        submission="report",
        sender_name="Nguyễn Thị Hoa",
        submitted_on=date(2026, 12, 8),
        link=APPROVALS,
        period_label="2026-S1",
    )


def _returned_result() -> ApprovalReturnedNotice:
    return ApprovalReturnedNotice(
        unit_name="UBND phường An Biên",
        submission="result",
        sender_name="Nguyễn Thị Hoa",
        note=REASON,
        returned_on=date(2026, 12, 8),
        link=ASSIGNMENT,
        leader_name="Trần Thị Lan",
        plan=PLAN,
        task_title=TASK,
    )


def _returned_report() -> ApprovalReturnedNotice:
    return ApprovalReturnedNotice(
        unit_name="UBND phường An Biên",
        submission="report",
        sender_name="Nguyễn Thị Hoa",
        note="Số liệu kỳ trước bị lặp lại.",
        returned_on=date(2026, 12, 9),
        link=REPORT,
        period_label="2026-S1",
    )


_LEAKS = re.compile(
    r"\b(None|True|False|null|result|report|returned|plan|unit|note|sender|leader|Undefined|approval)\b"
)


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+?(?=[\s\"<]|$)", "", text)


def test_what_was_sent_is_named_by_its_task_or_its_period() -> None:
    assert wording.submission_phrase("result", task_title=TASK) == (
        "kết quả thực hiện nhiệm vụ “Rà soát, thống kê đất công trên địa bàn”"
    )
    assert wording.submission_phrase("result") == "kết quả thực hiện nhiệm vụ"
    assert wording.submission_phrase("report", "2026-S1", TASK) == "báo cáo kỳ 2026-S1"
    assert wording.submission_phrase("report") == "báo cáo định kỳ"
    assert wording.first_upper("kết quả “Rà soát”") == "Kết quả “Rà soát”"


def test_a_waiting_result_names_who_sent_it_the_task_and_where_the_leader_decides() -> None:
    message = render(_waiting_result())
    assert message.kind == "approval_waiting"
    assert message.subject == (
        "Chờ lãnh đạo đơn vị duyệt: kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND "
        "do Nguyễn Thị Hoa gửi"
    )
    assert "Kính gửi: UBND phường An Biên" in message.text
    assert (
        "Ngày 07/12/2026, Nguyễn Thị Hoa đã gửi kết quả thực hiện nhiệm vụ “Rà soát, thống kê đất công trên "
        "địa bàn” theo Kế hoạch số 243/KH-UBND (Kế hoạch triển khai thi hành Luật Đất đai năm 2024)."
    ) in message.text
    chosen = "Theo cách duyệt đơn vị đã chọn, kết quả này chỉ được gửi lên cơ quan tổng hợp sau khi"
    assert chosen in message.text
    assert f"duyệt hoặc trả lại (ghi rõ lý do) tại:\n{APPROVALS}\n" in message.text
    assert f'href="{APPROVALS}"' in message.html and "Nguyễn Thị Hoa" in message.html
    assert message.link == APPROVALS


def test_a_waiting_report_names_its_period() -> None:
    message = render(_waiting_report())
    assert message.subject == "Chờ lãnh đạo đơn vị duyệt: báo cáo kỳ 2026-S1 do Nguyễn Thị Hoa gửi"
    assert "Ngày 08/12/2026, Nguyễn Thị Hoa đã gửi báo cáo kỳ 2026-S1." in message.text
    assert "báo cáo này chỉ được gửi lên cơ quan tổng hợp sau khi lãnh đạo đơn vị duyệt" in message.text
    assert "Kế hoạch" not in message.text


def test_a_return_quotes_the_leaders_reason_and_leads_back_to_the_page_to_correct_it() -> None:
    message = render(_returned_result())
    assert message.kind == "approval_returned"
    assert message.subject == (
        "Lãnh đạo đơn vị trả lại kết quả thực hiện nhiệm vụ theo Kế hoạch số 243/KH-UBND để chỉnh sửa"
    )
    assert (
        "Ngày 08/12/2026, lãnh đạo đơn vị (Trần Thị Lan) đã trả lại kết quả thực hiện nhiệm vụ “Rà soát, "
        "thống kê đất công trên địa bàn” theo Kế hoạch số 243/KH-UBND"
    ) in message.text
    said = "theo Kế hoạch số 243/KH-UBND do Nguyễn Thị Hoa gửi, để chỉnh sửa.\n\nLý do trả lại:"
    assert said in message.text
    assert f"Lý do trả lại:\n{REASON}\n" in message.text
    assert "Kết quả này chưa được gửi lên cơ quan tổng hợp." in message.text
    assert f"gửi lại để lãnh đạo đơn vị duyệt tại:\n{ASSIGNMENT}\n" in message.text
    assert f'href="{ASSIGNMENT}"' in message.html and message.link == ASSIGNMENT
    # The inbox shows a notice's first 400 characters: the reason must be among them.
    assert message.text.index(REASON) + len(REASON) < 400


def test_a_returned_report_names_its_period_and_a_missing_reason_says_whom_to_ask() -> None:
    message = render(_returned_report())
    assert message.subject == "Lãnh đạo đơn vị trả lại báo cáo kỳ 2026-S1 để chỉnh sửa"
    assert "lãnh đạo đơn vị đã trả lại báo cáo kỳ 2026-S1 do Nguyễn Thị Hoa gửi" in message.text
    assert "Báo cáo này chưa được gửi lên" in message.text
    silent = render(replace(_returned_report(), note=None))
    assert "Lý do trả lại:" not in silent.text
    assert "không ghi lý do trả lại" in silent.text and "không ghi lý do trả lại" in silent.html


def test_the_reason_is_escaped_in_html_and_literal_in_plain_text() -> None:
    message = render(replace(_returned_result(), note="Thiếu <phụ lục> & biểu mẫu"))
    assert "Thiếu &lt;phụ lục&gt; &amp; biểu mẫu" in message.html and "<phụ lục>" not in message.html
    assert "Thiếu <phụ lục> & biểu mẫu" in message.text


NOTICES = [_waiting_result(), _waiting_report(), _returned_result(), _returned_report()]


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: f"{n.kind}-{n.submission}")
def test_no_english_or_identifier_leaks_every_part_is_nfc_and_it_reads_back(
    notice: ApprovalWaitingNotice | ApprovalReturnedNotice,
) -> None:
    decomposed = replace(notice, unit_name=unicodedata.normalize("NFD", notice.unit_name))
    message = render(decomposed)
    parts = "\n".join((message.subject, message.text, message.html))
    assert _LEAKS.findall(_without_links(parts).replace("dondoc.example", "")) == []
    assert "\n" not in message.subject
    assert all(unicodedata.is_normalized("NFC", p) for p in (message.subject, message.text, message.html))
    assert notice_from_json(notice_to_json(notice)) == notice


def test_several_waiting_of_one_plan_leave_as_one_digest_to_the_leaders_page() -> None:
    second = replace(_waiting_result(), task_title="Báo cáo kết quả", sender_name="Lê Văn Minh")
    message = build_digest([_waiting_result(), second], link=APPROVALS)
    assert message.subject == "2 kết quả, báo cáo chờ lãnh đạo đơn vị duyệt theo Kế hoạch số 243/KH-UBND"
    assert (
        "1. Kết quả thực hiện nhiệm vụ “Rà soát, thống kê đất công trên địa bàn”, do Nguyễn Thị Hoa gửi "
        "ngày 07/12/2026"
    ) in message.text
    assert "2. Kết quả thực hiện nhiệm vụ “Báo cáo kết quả”, do Lê Văn Minh gửi" in message.text
    assert f"Xem toàn bộ tại: {APPROVALS}" in message.text and "Lê Văn Minh" in message.html


def test_several_returns_of_one_plan_leave_as_one_digest_listing_each_reason() -> None:
    report = replace(_returned_report(), plan=PLAN)
    message = build_digest([_returned_result(), report])
    assert message.subject == "2 kết quả, báo cáo bị lãnh đạo đơn vị trả lại theo Kế hoạch số 243/KH-UBND"
    assert "2. Báo cáo kỳ 2026-S1, do Nguyễn Thị Hoa gửi, trả lại ngày 09/12/2026" in message.text
    assert "Lý do trả lại: Thiếu số, ngày ban hành văn bản;\n   đề nghị ghi rõ" in message.text
    assert "Số liệu kỳ trước bị lặp lại." in message.html and REPORT in message.text


def test_a_unit_may_choose_to_hear_the_approval_notices_by_email() -> None:
    chose = Preferences(emails=("vanthu@anbien.gov.vn",), kinds=("approval_waiting", "approval_returned"))
    assert channels_for(chose, "approval_waiting") == ["inbox", "email"]
    assert channels_for(chose, "approval_returned") == ["inbox", "email"]
    assert channels_for(chose, "returned") == ["inbox"]

"""Each kind of notification renders correct Vietnamese: dates, roles, days left, plan citation."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import jinja2
import pytest

from services.notify.domain.messages import build_digest, default_templates_dir, render
from services.notify.domain.notices import (
    DeadlineNearNotice,
    Message,
    Notice,
    OverdueNotice,
    PlanRef,
    ReportDueNotice,
    ReportMissedNotice,
    TaskAssignedNotice,
)

CITY_PLAN = PlanRef(
    title="Kế hoạch triển khai thi hành Nghị quyết số 206/2025/QH15 ngày 24/6/2025 của Quốc hội",
    number="243/KH-UBND",
    issued_on=date(2025, 9, 16),
)
WARD_PLAN = PlanRef(title="Kế hoạch thực hiện Nghị quyết số 268/NQ-CP ngày 31/8/2025 của Chính phủ")


def assignment(
    task_title: str = "Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15",
) -> TaskAssignedNotice:
    """A lead (chủ trì) assignment for UBND phường An Biên, due 28/02/2027, seen five days before."""
    return TaskAssignedNotice(
        unit_name="UBND phường An Biên",
        plan=CITY_PLAN,
        task_title=task_title,
        role="chu_tri",
        due=date(2027, 2, 28),
        as_of=date(2027, 2, 23),
        link="https://dondoc.example/giao-viec/a-1",
    )


# Identifiers and English words that must never reach a reader.
_LEAKS = re.compile(
    r"\b(None|True|False|null|chu_tri|phoi_hop|task|tasks|due|days?|deadline|report|plan|unit|overdue|"
    r"digest|Undefined|period)\b"
)


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+?(?=[\s\"<]|$)", "", text)


def _all_parts(message: Message) -> str:
    return "\n".join((message.subject, message.text, message.html))


def _deadline_near() -> DeadlineNearNotice:
    return DeadlineNearNotice(
        unit_name="UBND phường Tân Hưng",
        plan=WARD_PLAN,
        task_title="Rà soát văn bản quy phạm pháp luật",
        role="phoi_hop",
        due=date(2026, 5, 31),
        as_of=date(2026, 5, 28),
        link="https://dondoc.example/giao-viec/b-7",
    )


def _overdue() -> OverdueNotice:
    return OverdueNotice(
        unit_name="UBND phường Tân Hưng",
        plan=CITY_PLAN,
        task_title="Tổng kết, đánh giá việc thi hành Nghị quyết",
        role="chu_tri",
        due=date(2026, 5, 31),
        as_of=date(2026, 6, 7),
        link="https://dondoc.example/giao-viec/b-8",
    )


def _report_due() -> ReportDueNotice:
    return ReportDueNotice(
        unit_name="UBND phường An Biên",
        period_label="6 tháng đầu năm 2026",
        window_start=date(2025, 12, 15),
        window_end=date(2026, 6, 14),
        deadline=date(2026, 6, 18),
        as_of=date(2026, 6, 14),
        link="https://dondoc.example/bao-cao/k-1",
        recipient_name="Sở Tư pháp",
        plan=CITY_PLAN,
    )


def _report_missed() -> ReportMissedNotice:
    return ReportMissedNotice(
        unit_name="UBND phường An Biên",
        period_label="năm 2026",
        deadline=date(2026, 12, 18),
        as_of=date(2026, 12, 21),
        link="https://dondoc.example/bao-cao/k-2",
        recipient_name="Sở Tư pháp",
    )


def test_a_new_lead_assignment_names_the_plan_the_role_the_due_date_and_days_left() -> None:
    message = render(assignment())
    assert message.kind == "task_assigned"
    assert "chủ trì" in message.subject
    for part in (message.text, message.html):
        assert "Kế hoạch số 243/KH-UBND ngày 16/09/2025" in part
        assert "Tổ chức quán triệt, truyền thông về Nghị quyết số 206/2025/QH15" in part
        assert "ngày 28/02/2027 (còn 5 ngày)" in part
        assert "https://dondoc.example/giao-viec/a-1" in part
    assert "Kính gửi: UBND phường An Biên" in message.text
    assert message.link == "https://dondoc.example/giao-viec/a-1"


def test_a_coordinating_unit_is_told_it_coordinates() -> None:
    message = render(replace(assignment(), role="phoi_hop"))
    assert "phối hợp" in message.subject
    assert "được giao phối hợp thực hiện" in message.text
    assert "chủ trì" not in message.text


def test_an_ongoing_task_shows_its_written_timeframe_instead_of_a_date() -> None:
    message = render(replace(assignment(), due=None, timeframe_text="Thường xuyên"))
    assert "Thời hạn: Thường xuyên" in message.text
    assert "còn" not in message.text


def test_a_task_due_today_says_so() -> None:
    message = render(replace(assignment(), as_of=date(2027, 2, 28)))
    assert "ngày 28/02/2027 (hôm nay là hạn cuối)" in message.text


def test_a_plan_without_a_number_is_cited_by_its_title() -> None:
    message = render(replace(assignment(), plan=WARD_PLAN))
    assert "Theo Kế hoạch thực hiện Nghị quyết số 268/NQ-CP ngày 31/8/2025 của Chính phủ," in message.text
    assert "Kế hoạch số" not in message.text


def test_a_deadline_reminder_counts_the_days_left() -> None:
    message = render(_deadline_near())
    assert message.subject.startswith("Sắp đến hạn (còn 3 ngày): Rà soát văn bản")
    assert "Thời hạn: ngày 31/05/2026 (còn 3 ngày)" in message.text
    assert "phối hợp" in message.text
    assert "ngày 31/05/2026" in message.html


def test_a_deadline_reminder_counted_in_working_days_says_so() -> None:
    # Thursday 28/05 to Sunday 31/05: one office day (Friday) is left, not three.
    message = render(replace(_deadline_near(), working_days_left=1))
    assert message.subject.startswith("Sắp đến hạn (còn 1 ngày làm việc): Rà soát văn bản")
    assert "Thời hạn: ngày 31/05/2026 (còn 1 ngày làm việc)" in message.text
    assert "còn 1 ngày làm việc" in message.html
    last = render(replace(_deadline_near(), as_of=date(2026, 5, 29), working_days_left=0))
    assert "hôm nay là ngày làm việc cuối cùng trước hạn" in last.text
    digest = build_digest([replace(_deadline_near(), working_days_left=1)] * 2, link="https://x/workspace")
    assert digest.text.count("còn 1 ngày làm việc") == 2


def test_an_overdue_notice_counts_the_days_late() -> None:
    message = render(_overdue())
    assert message.subject.startswith("Nhiệm vụ đã quá hạn 7 ngày:")
    assert "đã quá hạn 7 ngày" in message.text
    assert "khó khăn, vướng mắc" in message.text
    assert "đã quá hạn 7 ngày" in message.html


def test_a_report_reminder_gives_the_period_the_data_window_and_the_send_by_date() -> None:
    message = render(_report_due())
    assert message.subject == "Nhắc gửi báo cáo 6 tháng đầu năm 2026 – hạn ngày 18/06/2026"
    for part in (message.text, message.html):
        assert "từ ngày 15/12/2025 đến hết ngày 14/06/2026" in part
        assert "chậm nhất" in part
        assert "ngày 18/06/2026" in part
        assert "(còn 4 ngày)" in part
        assert "Sở Tư pháp" in part


def test_a_missed_report_says_it_was_not_received_and_how_late_it_is() -> None:
    message = render(_report_missed())
    assert message.subject == "Chưa nhận được báo cáo năm 2026 – đã quá hạn 3 ngày"
    assert "Đến ngày 21/12/2026, hệ thống chưa nhận được báo cáo năm 2026" in message.text
    assert "gửi báo cáo về Sở Tư pháp" in message.text


@pytest.mark.parametrize(
    "notice",
    [assignment(), _deadline_near(), _overdue(), _report_due(), _report_missed()],
    ids=lambda n: n.kind,
)
def test_no_english_or_identifier_leaks_into_what_a_unit_reads(notice: Notice) -> None:
    message = render(notice)
    leaks = _LEAKS.findall(_without_links(_all_parts(message)).replace("dondoc.example", ""))
    assert leaks == []
    assert "\n" not in message.subject


@pytest.mark.parametrize(
    "notice",
    [assignment(), _deadline_near(), _overdue(), _report_due(), _report_missed()],
    ids=lambda n: n.kind,
)
def test_every_part_is_nfc_even_when_the_input_is_decomposed(notice: Notice) -> None:
    decomposed = replace(notice, unit_name=unicodedata.normalize("NFD", notice.unit_name))
    message = render(decomposed)
    for part in (message.subject, message.text, message.html):
        assert unicodedata.is_normalized("NFC", part)
    assert notice.unit_name in message.text


def test_html_escapes_a_task_title_while_plain_text_keeps_it_literal() -> None:
    message = render(assignment("Ban hành <Quy chế> phối hợp & hướng dẫn"))
    assert "Ban hành &lt;Quy chế&gt; phối hợp &amp; hướng dẫn" in message.html
    assert "<Quy chế>" not in message.html
    assert "Ban hành <Quy chế> phối hợp & hướng dẫn" in message.text


def test_an_operator_can_point_the_renderer_at_an_edited_copy_of_the_templates(tmp_path: Path) -> None:
    folder = tmp_path / "mau-thong-bao"
    shutil.copytree(default_templates_dir(), folder)
    (folder / "task_assigned" / "subject.txt").write_text(
        "[Phường An Biên] Giao nhiệm vụ: {{ n.task_title }}", encoding="utf-8"
    )
    edited = render(assignment(), templates=folder)
    packaged = render(assignment())
    assert edited.subject == "[Phường An Biên] Giao nhiệm vụ: " + assignment().task_title
    assert packaged.subject != edited.subject


def test_a_misspelt_variable_in_an_edited_template_fails_loudly(tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    shutil.copytree(default_templates_dir(), folder)
    (folder / "overdue" / "subject.txt").write_text("Quá hạn: {{ n.tieu_de }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render(_overdue(), templates=folder)


def test_a_very_long_task_title_is_shortened_in_the_subject_only() -> None:
    title = "Xây dựng, hoàn thiện " + "hệ thống văn bản quy phạm pháp luật " * 8
    message = render(assignment(title.strip()))
    assert len(message.subject) < 160
    assert message.subject.endswith("…")
    assert title.strip() in message.text


def test_a_task_given_after_its_deadline_says_so_once_and_never_counts_days_overdue() -> None:
    late = replace(assignment(), due=date(2026, 6, 1), as_of=date(2026, 12, 8))
    message = render(late)
    assert message.subject.startswith("Nhiệm vụ mới (chủ trì, giao khi đã quá hạn):")
    for body in (message.text, message.html):
        assert "Thời hạn: giao khi đã quá hạn ngày 01/06/2026" in body
        assert "quá hạn 190 ngày" not in body
    on_time = render(assignment())
    assert "giao khi" not in on_time.subject + on_time.text
    assert "Thời hạn: ngày 28/02/2027 (còn 5 ngày)" in on_time.text


def test_an_overdue_coordinator_is_reminded_gently_and_the_lead_escalated() -> None:
    base = OverdueNotice(
        unit_name="UBND phường An Biên",
        plan=CITY_PLAN,
        task_title="Rà soát đất công",
        role="phoi_hop",
        due=date(2026, 12, 3),
        as_of=date(2026, 12, 8),
        link="https://dondoc.example/workspace/assignments/a-1",
    )
    gentle = render(replace(base, gentle=True))
    assert gentle.subject == "Nhắc phối hợp: nhiệm vụ đã quá thời hạn ngày 03/12/2026: Rà soát đất công"
    for body in (gentle.text, gentle.html):
        assert "tiếp tục phối hợp với đơn vị chủ trì" in body and "khẩn trương" not in body
    escalated = render(replace(base, role="chu_tri"))
    assert escalated.subject == "Nhiệm vụ đã quá hạn 5 ngày: Rà soát đất công"
    assert "khẩn trương hoàn thành" in escalated.text
    digest = build_digest([replace(base, gentle=True), replace(base, role="chu_tri", task_title="Khác")])
    assert "đề nghị phối hợp với đơn vị chủ trì" in digest.text and "đã quá hạn 5 ngày" in digest.text


def test_a_deadline_reminder_asks_for_work_on_time_and_a_coordinator_to_work_with_the_lead() -> None:
    coordinating = render(_deadline_near())
    lead = render(replace(_deadline_near(), role="chu_tri"))
    for message in (coordinating, lead):
        assert "khẩn trương" not in message.text + message.html  # not late yet: no alarm
        assert "hoàn thành đúng hạn" in message.text and "hoàn thành đúng hạn" in message.html
    assert "phối hợp với đơn vị chủ trì" in coordinating.text
    assert "phối hợp với đơn vị chủ trì" not in lead.text
    digest = build_digest([_deadline_near(), replace(_deadline_near(), task_title="Khác")])
    assert "khẩn trương" not in digest.text and "hoàn thành đúng hạn" in digest.text

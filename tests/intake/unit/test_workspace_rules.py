"""The workspace's rules without I/O: dates as typed, files by their content, what is urgent, passwords."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest

from services.intake.domain import passwords
from services.intake.queries import WorkItem
from services.intake.web import inbox, result_form, work
from services.intake.web.evidence import disposition, sniff, stored_name
from services.intake.web.forms import Form, Upload

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def test_a_file_is_judged_by_its_content_not_its_name() -> None:
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff(b"\xff\xd8\xff\xe0....") == "jpeg"
    assert sniff(office_file("word/document.xml")) == "docx"
    assert sniff(office_file("xl/workbook.xml")) == "xlsx"
    assert sniff(office_file("content.xml")) is None  # a zip that is no Office document
    assert sniff(b"PK\x03\x04 broken") is None
    assert sniff(b"MZ\x90\x00 an executable") is None
    assert stored_name("C:\\Users\\hoa\\bao cao.exe", "pdf") == "bao cao.exe.pdf"
    assert stored_name("ảnh.JPEG", "jpeg") == "ảnh.JPEG"
    assert stored_name("ảnh.jpeg", "pdf") == "ảnh.jpeg.pdf"
    assert disposition("Báo cáo.pdf").startswith('attachment; filename="B')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf" in disposition("Báo cáo.pdf")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20/05/2026", date(2026, 5, 20)),
        ("5/1/2026", date(2026, 1, 5)),
        (" 07 / 12 / 2026 ", date(2026, 12, 7)),
    ],
)
def test_a_date_is_typed_day_first(typed: str, expected: date) -> None:
    assert result_form.parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-05-20", "20.05.2026", "hôm qua", "13/13/2026"])
def test_what_is_not_a_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        result_form.parse_date(typed)


def check(**fields: str) -> result_form.Checked:
    return result_form.check(Form(fields), TODAY, max_bytes=1000, max_files=2)


def test_the_result_form_says_what_to_fix_by_field() -> None:
    assert check(status="hoan_thanh", completed_on="08/12/2026", output="x").errors == {
        "completed_on": "Ngày hoàn thành không thể sau hôm nay (07/12/2026); hãy nhập ngày công việc đã xong."
    }
    assert set(check(status="hoan_thanh").errors) == {"completed_on", "output"}
    assert set(check(status="dang_thuc_hien", completed_on="01/12/2026").errors) == {"completed_on"}
    assert set(check(status="xong").errors) == {"status"}
    assert "ký tự điều khiển" in check(status="dang_thuc_hien", narrative="a\u202eb").errors["narrative"]
    ok = check(status="hoan_thanh", completed_on="07/12/2026", output="Văn bản số 1")
    assert ok.errors == {} and ok.completed_on == TODAY and ok.texts["output"] == "Văn bản số 1"


def test_files_too_big_of_the_wrong_kind_or_too_many_are_refused() -> None:
    def files(*uploads: Upload) -> dict[str, str]:
        return result_form.check(
            Form({"status": "dang_thuc_hien"}, {"evidence": list(uploads)}), TODAY, 1000, 2
        ).errors

    assert "lớn quá" in files(Upload("a.pdf", b"%PDF-" + b"0" * 2000))["evidence"]
    assert "không phải PDF, DOCX, XLSX, JPEG hay PNG" in files(Upload("a.pdf", b"<html>"))["evidence"]
    assert "tối đa 2 tệp" in files(*[Upload("a.pdf", b"%PDF-")] * 3)["evidence"]
    assert files(Upload("a.pdf", b"%PDF-"), Upload("b.png", b"\x89PNG\r\n\x1a\n")) == {}


def item(assignment: str, due: date | None, status: str = "chua_den_han", role: str = "chu_tri") -> WorkItem:
    return WorkItem(
        assignment_id=assignment,
        plan_id="p",
        plan_number=None,
        plan_title="Kế hoạch",
        task_ref=assignment,
        task_title="t",
        unit="11407",
        unit_name="An Biên",
        role=role,
        output=None,
        timeframe_kind="deadline",
        timeframe_text=None,
        start=None,
        due=due,
        status=status,
        completed_on=None,
    )


def test_overdue_and_due_soon_come_first_and_a_return_reopens_the_work() -> None:
    returned = work.Sent(version=1, status="hoan_thanh", returned=True, note="Thiếu số văn bản")
    lines = [
        work.judge(item("later", date(2027, 3, 1)), None, TODAY, 7),
        work.judge(item("done", date(2026, 12, 1), "hoan_thanh_dung_han"), None, TODAY, 7),
        work.judge(item("soon", date(2026, 12, 10)), None, TODAY, 7),
        work.judge(item("late", date(2026, 11, 27)), None, TODAY, 7),
        work.judge(item("back", date(2027, 1, 30), "hoan_thanh_dung_han"), returned, TODAY, 7),
    ]
    [group] = work.group(lines)
    assert [(x.item.assignment_id, x.urgency, x.days) for x in group.lines] == [
        ("late", "overdue", 10),
        ("soon", "soon", 3),
        ("back", "returned", 54),
        ("later", "open", 84),
        ("done", "done", 6),
    ]
    kept = [x.item.assignment_id for x in lines if work.keep(x, "chua_xong", "", "30", TODAY)]
    assert kept == ["soon"]
    assert [x.item.assignment_id for x in lines if work.keep(x, "tra_lai", "", "", TODAY)] == ["back"]


def test_a_password_must_be_long_and_not_the_username() -> None:
    assert passwords.weakness("ngan", "hoa") == "Mật khẩu phải có ít nhất 10 ký tự."
    assert passwords.weakness("hoa.nguyen-2026", "hoa.nguyen") == "Mật khẩu không được chứa tên đăng nhập."
    assert passwords.weakness("aaaaaaaaaaaa", "hoa") is not None
    assert passwords.weakness("Hai-Phong-2026!", "hoa") is None
    hashed = passwords.hash_password("Hai-Phong-2026!")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "Hai-Phong-2026!") and not passwords.verify(hashed, "hai-phong-2026!")
    assert not passwords.verify(None, "anything")


@pytest.mark.parametrize(
    ("link", "button"),
    [
        ("/workspace/assignments/a-1", "Mở trang nhiệm vụ"),
        ("/workspace/approvals", "Mở trang duyệt"),
        ("/workspace/reports/p-1/2026-S1?unit=11407", "Mở trang báo cáo"),
        ("/workspace/report-versions/r-1", "Mở trang báo cáo"),
        ("/workspace/results/r-1", "Mở trang nhiệm vụ"),
        ("/workspace", "Mở trang việc của đơn vị"),
        ("/workspace/inbox", "Mở trang"),
    ],
)
def test_a_notice_button_names_the_page_it_opens(link: str, button: str) -> None:
    shown = inbox.Notice("n-1", "11407", "approval_waiting", "Tiêu đề", "Nội dung", link, NOW, False)
    assert shown.opens == button

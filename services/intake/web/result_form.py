"""The result form, checked field by field: each problem is said in Vietnamese next to its field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from services.intake.http.text import clean_text
from services.intake.web.evidence import KINDS, sniff, stored_name
from services.intake.web.forms import Form

TEXT_FIELDS = ("output", "narrative", "difficulties", "proposals")
_DATE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")
_MAX_TEXT = 20_000
STATUSES = {"dang_thuc_hien": "Đang thực hiện", "hoan_thanh": "Đã hoàn thành"}


@dataclass(frozen=True)
class File:
    name: str
    kind: str
    data: bytes


@dataclass
class Checked:
    """The form's values once checked: `errors` by field name, empty when the result may be sent."""

    status: str = ""
    completed_on: date | None = None
    texts: dict[str, str | None] = field(default_factory=dict)
    files: list[File] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def parse_date(text: str) -> date:
    """A date as typed in Vietnam, day first: 20/05/2026 or 20/5/2026. ValueError otherwise."""
    found = _DATE.match(text)
    if not found:
        raise ValueError(text)
    day, month, year = (int(g) for g in found.groups())
    return date(year, month, day)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check(form: Form, today: date, max_bytes: int, max_files: int) -> Checked:
    """Every field checked; the typed values stay in the form for a second try."""
    out = Checked(status=form.get("status"))
    if out.status not in STATUSES:
        out.errors["status"] = "Hãy chọn tình trạng: đang thực hiện hoặc đã hoàn thành."
    typed = form.get("completed_on")
    if typed:
        try:
            out.completed_on = parse_date(typed)
        except ValueError:
            out.errors["completed_on"] = (
                "Ngày hoàn thành phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 20/05/2026."
            )
    if out.completed_on is not None and out.completed_on > today:
        out.errors["completed_on"] = (
            f"Ngày hoàn thành không thể sau hôm nay ({today:%d/%m/%Y}); hãy nhập ngày công việc đã xong."
        )
    elif out.completed_on is not None and out.completed_on.year < 2000:
        out.errors["completed_on"] = "Ngày hoàn thành quá xa trong quá khứ; hãy kiểm tra lại năm."
    if out.status == "hoan_thanh" and not typed:
        out.errors["completed_on"] = "Nhiệm vụ đã hoàn thành thì hãy nhập ngày hoàn thành (ngày/tháng/năm)."
    if out.status == "dang_thuc_hien" and typed and "completed_on" not in out.errors:
        out.errors["completed_on"] = "Chỉ nhập ngày hoàn thành khi nhiệm vụ đã hoàn thành; hãy xóa ngày này."
    if out.status == "hoan_thanh" and not form.get("output"):
        out.errors["output"] = "Hãy ghi kết quả, sản phẩm (ví dụ: Văn bản số 123/UBND-VP ngày 20/5/2026)."
    for name in TEXT_FIELDS:
        value = form.get(name)
        try:
            out.texts[name] = clean_text(value) or None if value else None
        except ValueError as bad:
            out.errors[name] = str(bad)
        if len(value) > _MAX_TEXT:
            out.errors[name] = "Nội dung quá dài (tối đa 20.000 ký tự); hãy rút gọn hoặc đính kèm tệp."
    _check_files(form, out, max_bytes, max_files)
    return out


def _check_files(form: Form, out: Checked, max_bytes: int, max_files: int) -> None:
    uploads = form.files.get("evidence", [])
    if len(uploads) > max_files:
        out.errors["evidence"] = f"Mỗi lần gửi đính kèm tối đa {max_files} tệp."
        return
    problems = []
    for upload in uploads:
        if len(upload.data) > max_bytes:
            problems.append(
                f"Tệp «{upload.filename}» lớn quá {_mb(max_bytes)}; hãy nén hoặc chia nhỏ rồi gửi lại."
            )
            continue
        kind = sniff(upload.data)
        if kind is None:
            problems.append(
                f"Tệp «{upload.filename}» không phải PDF, DOCX, XLSX, JPEG hay PNG "
                "(hệ thống kiểm tra nội dung tệp, không theo đuôi tên)."
            )
            continue
        out.files.append(File(stored_name(upload.filename, kind), kind, upload.data))
    if problems:
        out.errors["evidence"] = " ".join(problems)


ACCEPT = ",".join(ext for _, ext in KINDS.values()) + ",.jpeg"

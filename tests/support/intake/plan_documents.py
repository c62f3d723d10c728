"""Small synthetic plans as DOCX with the Decree 30 header table, for the draft review tests (made up)."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
MERGED = "Rà soát văn bản quy phạm pháp luật và tổ chức tập huấn nghiệp vụ cho cán bộ"
GENERAL = (
    "Giao các cơ quan, đơn vị tổ chức triển khai thực hiện Kế hoạch này và báo cáo kết quả theo quy định"
)


def _header(document: DocxDocument, issuer: str, number: str, place_date: str) -> None:
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = issuer
    table.cell(0, 1).text = MOTTO
    table.cell(1, 0).text = number
    table.cell(1, 1).text = place_date


def _bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def city_plan() -> bytes:
    """The city's plan: a clean task, a task merging two duties, a flagged task, a general clause; no
    reporting frequency stated."""
    document = Document()
    _header(
        document,
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG",
        "Số: 311/KH-UBND",
        "Hải Phòng, ngày 02 tháng 12 năm 2026",
    )
    for text in (
        "KẾ HOẠCH",
        "Triển khai công tác pháp chế năm 2027",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích: nâng cao hiệu quả công tác pháp chế.",
        "II. NHIỆM VỤ",
        "1. Tuyên truyền, phổ biến pháp luật về pháp chế",
        "Cơ quan chủ trì: Sở Tư pháp.",
        "Thời gian: Kịp thời, đúng quy định.",
        f"2. {MERGED}",
        "Cơ quan chủ trì: UBND các xã, phường, đặc khu.",
        "Thời gian: Trước ngày 30/9/2027.",
        "3. Kiểm tra việc thực hiện công tác pháp chế",
        "Cơ quan chủ trì: Ban Pháp chế liên ngành.",
        "Thời gian: Năm 2027.",
        f"4. {GENERAL}.",
        "Cơ quan chủ trì: Các sở, ban, ngành thành phố.",
        "Thời gian: Năm 2027.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan, đơn vị báo cáo kết quả thực hiện theo quy định.",
    ):
        document.add_paragraph(text)
    return _bytes(document)


def ward_plan() -> bytes:
    """An Biên's own plan implementing the city's: one task for the ward's office."""
    document = Document()
    _header(
        document, "ỦY BAN NHÂN DÂN\nPHƯỜNG AN BIÊN", "Số: 52/KH-UBND", "An Biên, ngày 04 tháng 12 năm 2026"
    )
    for text in (
        "KẾ HOẠCH",
        "Rà soát văn bản quy phạm pháp luật của phường năm 2027",
        "Thực hiện Kế hoạch số 311/KH-UBND ngày 02/12/2026 của UBND thành phố.",
        "II. NHIỆM VỤ",
        "1. Rà soát văn bản quy phạm pháp luật do phường ban hành",
        "Cơ quan chủ trì: Văn phòng HĐND và UBND phường.",
        "Thời gian: Trước ngày 31/8/2027.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Định kỳ 6 tháng, Văn phòng HĐND và UBND phường báo cáo kết quả về Ủy ban nhân dân phường.",
    ):
        document.add_paragraph(text)
    return _bytes(document)

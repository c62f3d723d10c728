"""What the document says about itself: issuer, number, date, recipients, signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BLANK = "…"


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Decree 30/2020 header and footer fields; None leaves a "…" for the compiler to fill."""

    issuing_body: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG")
    parent_body: tuple[str, ...] = ()
    number: str | None = None
    symbol: str = "BC-UBND"
    place: str = "Hải Phòng"
    signed_on: date | None = None
    subject: str | None = None
    recipients: tuple[str, ...] = ("Bộ Tư pháp;", "TT Thành ủy, TT HĐND thành phố;", "Lưu: VT.")
    signature: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer_name: str | None = None
    issuer_in_text: str = "Ủy ban nhân dân thành phố Hải Phòng"

    @property
    def number_line(self) -> str:
        """'Số: …/BC-UBND' until the document is registered."""
        return f"Số: {self.number or BLANK}/{self.symbol}"

    @property
    def date_line(self) -> str:
        """'Hải Phòng, ngày … tháng … năm …', or the date written as Decree 30 wants it."""
        if self.signed_on is None:
            return f"{self.place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
        day, month = self.signed_on.day, self.signed_on.month
        # Decree 30/2020: days below 10 and months 1 and 2 take a leading zero.
        month_text = f"{month:02d}" if month < 3 else str(month)
        return f"{self.place}, ngày {day:02d} tháng {month_text} năm {self.signed_on.year}"

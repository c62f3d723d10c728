"""PDF with a text layer (pypdf); tables rebuilt from the layout so task rows keep their columns."""

from __future__ import annotations

import io
import logging

from .blocks import Block
from .errors import DocumentError
from .limits import MAX_PDF_PAGES
from .pdf_layout import layout_to_text
from .read_text import text_to_blocks

_UNREADABLE = "Không mở được tệp PDF (tệp hỏng hoặc được bảo vệ bằng mật khẩu)."


def read_pdf(data: bytes) -> list[Block]:
    """The blocks of a PDF's text layer; a scan without text is refused with a clear message."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("unreadable", _UNREADABLE)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentError("too_large", f"Tệp PDF có hơn {MAX_PDF_PAGES} trang, quá dài để đọc tự động.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError("unreadable", _UNREADABLE) from exc
    if sum(len(p.strip()) for p in pages) < 20:
        raise DocumentError(
            "no_text",
            "Tệp PDF không có lớp chữ (có thể là bản scan/ảnh chụp). Vui lòng tải lên bản DOCX "
            "hoặc PDF xuất trực tiếp từ Word, hoặc nhận dạng chữ (OCR) trước khi tải lên.",
        )
    return text_to_blocks(layout_to_text(pages))

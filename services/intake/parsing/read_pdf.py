"""PDF with a text layer: poppler's `pdftotext` (Debian's poppler-utils) lays each page out in fixed-pitch
columns, so tables come back with their columns apart (ADR 0076)."""

from __future__ import annotations

import logging
import subprocess
import tempfile

from .blocks import Block
from .errors import DocumentError
from .limits import MAX_PDF_PAGES
from .pdf_layout import layout_to_text
from .read_text import text_to_blocks

log = logging.getLogger(__name__)

_UNREADABLE = "Không mở được tệp PDF (tệp hỏng hoặc được bảo vệ bằng mật khẩu)."
# Five points a character: a table's columns stay apart where `-layout` glued them with one space. The
# crop box spans any page (an appendix table may run past the page's own box).
_PDFTOTEXT = ["pdftotext", "-fixed", "5", "-enc", "UTF-8"]
_PDFTOTEXT += ["-x", "0", "-y", "0", "-W", "100000", "-H", "100000"]
_NO_READER = (
    "Máy chủ chưa cài chương trình đọc tệp PDF (gói poppler-utils). Vui lòng báo quản trị viên "
    "cài đặt, hoặc tải lên bản DOCX của kế hoạch."
)
_SECONDS = 60  # a file that keeps pdftotext busy longer is refused, not waited for


def read_pdf(data: bytes) -> list[Block]:
    """The blocks of a PDF's text layer; a scan without text is refused with a clear message."""
    pages = _pages_text(data)
    if len(pages) > MAX_PDF_PAGES:
        raise DocumentError("too_large", f"Tệp PDF có hơn {MAX_PDF_PAGES} trang, quá dài để đọc tự động.")
    if sum(len(p.strip()) for p in pages) < 20:
        raise DocumentError(
            "no_text",
            "Tệp PDF không có lớp chữ (có thể là bản scan/ảnh chụp). Vui lòng tải lên bản DOCX "
            "hoặc PDF xuất trực tiếp từ Word, hoặc nhận dạng chữ (OCR) trước khi tải lên.",
        )
    return text_to_blocks(layout_to_text(pages))


def _pages_text(data: bytes) -> list[str]:
    """Each page's text as pdftotext lays it out (pages end with a form feed), one page past the limit at
    most; a damaged file, or one locked by a password, is unreadable."""
    with tempfile.NamedTemporaryFile(prefix="dondoc-", suffix=".pdf") as file:
        file.write(data)
        file.flush()
        try:
            done = subprocess.run(
                [*_PDFTOTEXT, "-l", str(MAX_PDF_PAGES + 1), file.name, "-"],
                capture_output=True,
                check=True,
                timeout=_SECONDS,
            )
        except FileNotFoundError as exc:  # the machine lacks it: a deployment's fault, not the file's
            log.error("pdftotext is missing (Debian: poppler-utils; make system-deps)")
            raise DocumentError("reader_missing", _NO_READER) from exc
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DocumentError("unreadable", _UNREADABLE) from exc
    return done.stdout.decode("utf-8", errors="replace").split("\f")[:-1]

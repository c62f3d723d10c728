"""Pick a reader by the file's content (its name and declared type only break ties)."""

from __future__ import annotations

from .blocks import Block
from .errors import DocumentError
from .limits import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES
from .read_text import decode, text_to_blocks

_TEXT_NAMES = (".txt", ".text", ".md")
_DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)


def read_blocks(data: bytes, filename: str, content_type: str | None = None) -> list[Block]:
    """The document's paragraphs and tables, or a DocumentError saying why it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentError(
            "too_large", "Tệp quá lớn (trên 20 MB). Vui lòng tải lên văn bản kế hoạch nhỏ hơn."
        )
    if not data.strip():
        raise DocumentError("no_text", "Tệp rỗng, không có nội dung để đọc.")
    name = filename.lower()
    if data.startswith(b"%PDF-"):
        from .read_pdf import read_pdf

        return read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        from .read_docx import read_docx

        return read_docx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(
            "unsupported_type",
            "Tệp Word cũ (.doc) chưa được hỗ trợ. Vui lòng lưu thành .docx hoặc PDF rồi tải lên.",
        )
    if name.endswith((".docx", ".pdf")) or content_type in (*_DOCX_TYPES, "application/pdf"):
        kind = "DOCX" if name.endswith(".docx") or content_type in _DOCX_TYPES else "PDF"
        raise DocumentError(
            "unreadable", f"Tệp có đuôi {kind} nhưng nội dung không phải {kind} hợp lệ (tệp hỏng?)."
        )
    text = decode(data)
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError("too_large", "Văn bản quá dài để đọc tự động.")
    if not name.endswith(_TEXT_NAMES) and content_type not in (None, "text/plain"):
        raise DocumentError(
            "unsupported_type", "Định dạng tệp chưa được hỗ trợ. Vui lòng tải lên .docx, .pdf hoặc .txt."
        )
    return text_to_blocks(text)

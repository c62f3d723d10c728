"""Read a plan document (text, DOCX, PDF) into a draft plan: its tasks, who leads, by when."""

from __future__ import annotations

from .errors import DocumentError
from .model import DraftTask, PlanDraft, ReportingObligation, Timeframe, UnitRef
from .reader import read_blocks
from .understand import understand
from .units import default_directory

__all__ = [
    "DocumentError",
    "DraftTask",
    "PlanDraft",
    "ReportingObligation",
    "Timeframe",
    "UnitRef",
    "parse_document",
]


def parse_document(
    data: bytes, filename: str, content_type: str | None = None, uploader: str | None = None
) -> PlanDraft:
    """Parse an uploaded plan; raises DocumentError when the file cannot be read at all.

    `uploader` is the directory code of the unit uploading its own plan: the issuer when the document names
    none, and the unit whose offices ("Văn phòng HĐND và UBND phường") the plan's units resolve to.
    """
    blocks = read_blocks(data, filename, content_type)
    if not any(getattr(b, "text", None) or getattr(b, "rows", None) for b in blocks):
        raise DocumentError("no_text", "Không tìm thấy nội dung chữ trong tệp.")
    return understand(blocks, default_directory(), uploader)

"""Evidence files: what kind a file is, decided by its content (never by its name), and how it is served."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
}


def sniff(data: bytes) -> str | None:
    """The file's kind from its first bytes (and, for Office files, the parts the archive names)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            # Only the central directory is read: nothing is decompressed, so a zip bomb costs nothing.
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def stored_name(filename: str, kind: str) -> str:
    """The name to keep: the person's, without folders, ending in the extension its content proves."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "tep"
    _stem, dot, ext = base.rpartition(".")
    proven = {KINDS[kind][1], ".jpeg"} if kind == "jpeg" else {KINDS[kind][1]}
    if dot and "." + ext.lower() in proven:
        return base[:300]
    return (base[:290] + KINDS[kind][1])[:300]


def disposition(filename: str) -> str:
    """Always a download (never shown inline), with the Vietnamese name kept (RFC 6266 filename*)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"

"""Files that are not plans fail fast with a Vietnamese message and the right HTTP status."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from services.intake.parsing import DocumentError, parse_document
from services.intake.parsing.limits import MAX_PDF_PAGES, MAX_UPLOAD_BYTES
from tests.support import ROOT


def _error(data: bytes, name: str) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_document(data, name)
    assert caught.value.message_vi and any(ch in caught.value.message_vi for ch in "ăâđêôơư")
    return caught.value


def test_a_zip_bomb_named_docx_is_refused_before_it_is_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/bomb.bin", b"\0" * (150 * 1024 * 1024))
    assert _error(buffer.getvalue(), "ke-hoach.docx").http_status == 413


def test_a_docx_with_thousands_of_parts_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(2500):
            archive.writestr(f"x/{i}", b"")
    assert _error(buffer.getvalue(), "ke-hoach.docx").http_status == 422


def test_deeply_nested_xml_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" * 5000 + b"</a>" * 5000)
    assert _error(buffer.getvalue(), "ke-hoach.docx").code == "unreadable"


def test_binary_garbage_named_docx_is_unreadable() -> None:
    assert _error(bytes(range(256)) * 40, "ke-hoach.docx").http_status == 422


def test_an_empty_file_has_no_text() -> None:
    assert _error(b"", "ke-hoach.txt").http_status == 422


def test_a_scanned_pdf_without_a_text_layer_says_it_is_a_scan() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    error = _error(buffer.getvalue(), "ke-hoach.pdf")
    assert error.code == "no_text" and "scan" in error.message_vi


def _blank_pdf(pages: int, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_past_the_page_limit_is_too_large() -> None:
    error = _error(_blank_pdf(MAX_PDF_PAGES + 5), "ke-hoach.pdf")
    assert error.code == "too_large" and error.http_status == 413


def test_a_pdf_locked_by_a_password_or_damaged_is_unreadable() -> None:
    assert _error(_blank_pdf(2, password="mat-khau"), "ke-hoach.pdf").code == "unreadable"
    assert _error(b"%PDF-1.7\n" + bytes(range(256)) * 40, "ke-hoach.pdf").code == "unreadable"


def test_a_server_without_pdftotext_answers_503_and_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment that lacks poppler-utils is the server's fault: a 503 that names the remedy, no 500."""
    monkeypatch.setenv("PATH", "/nonexistent")  # no program of that name can be found
    error = _error(_blank_pdf(1), "ke-hoach.pdf")
    assert error.code == "reader_missing" and error.http_status == 503
    assert "poppler-utils" in error.message_vi and "DOCX" in error.message_vi


def test_a_file_over_the_size_limit_is_too_large() -> None:
    assert _error(b"a" * (MAX_UPLOAD_BYTES + 1), "ke-hoach.txt").http_status == 413


def test_an_image_is_an_unsupported_type() -> None:
    assert _error(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "anh.png").http_status == 415


def test_the_cli_prints_one_line_on_stderr_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    proc = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "parse", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode != 0 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1

"""Bounds on what a single upload may cost to read."""

from __future__ import annotations

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_XML_DEPTH = 200
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 2_000_000

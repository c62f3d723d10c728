"""Why a document could not be read, in terms an HTTP edge and a ward officer understand."""

from __future__ import annotations

from typing import Literal

# "reader_missing": the server lacks the program that reads this kind of file (a deployment fault, not
# the file's): 503, and the officer is told to tell the administrator or send the DOCX instead.
ErrorCode = Literal["too_large", "unsupported_type", "unreadable", "no_text", "reader_missing"]

_HTTP_STATUS: dict[ErrorCode, int] = {
    "too_large": 413,
    "unsupported_type": 415,
    "unreadable": 422,
    "no_text": 422,
    "reader_missing": 503,
}


class DocumentError(Exception):
    """A document that cannot be turned into a draft; `message_vi` tells the officer what to do."""

    def __init__(self, code: ErrorCode, message_vi: str) -> None:
        super().__init__(message_vi)
        self.code: ErrorCode = code
        self.message_vi = message_vi

    @property
    def http_status(self) -> int:
        """The HTTP status an upload endpoint should answer with."""
        return _HTTP_STATUS[self.code]

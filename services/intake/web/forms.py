"""Reading a posted form: from our own origin, with the session's token; fields and files apart."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile

from dondoc.platform.writes import Writer
from services.intake.web.sessions import Visitor, runtime_of, same_origin


@dataclass(frozen=True)
class Upload:
    """A file as posted: its name as the person's computer called it, and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Form:
    """A posted form's fields (trimmed on reading) and files."""

    fields: dict[str, str]
    files: dict[str, list[Upload]] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default).strip()

    def fingerprint(self) -> bytes:
        """What identifies the request for Idempotency-Key: fields and file digests, not the multipart
        boundary (a browser resending the same form picks a new one)."""
        digest = {n: [hashlib.sha256(u.data).hexdigest() for u in us] for n, us in self.files.items()}
        shown = {k: v for k, v in self.fields.items() if k != "csrf"}
        return json.dumps({"fields": shown, "files": digest}, sort_keys=True, ensure_ascii=False).encode()


def writer(request: Request, visitor: Visitor, form: Form, key: str | None = None) -> Writer:
    """The person's writes from this form: audited with them, fingerprinted by the form's contents."""
    return Writer(request, runtime_of(request), visitor.principal, key, body=form.fingerprint())


async def read_form(request: Request, visitor: Visitor | None, max_files: int = 10) -> Form | None:
    """The posted form, or None when it did not come from our pages or lacks the session's token."""
    if not same_origin(request):
        return None
    posted = await request.form(max_files=max_files, max_fields=200)
    fields: dict[str, str] = {}
    files: dict[str, list[Upload]] = {}
    for name, value in posted.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files.setdefault(name, []).append(Upload(value.filename, await value.read()))
        else:
            fields[name] = value
    if visitor is not None and not hmac.compare_digest(fields.get("csrf", ""), visitor.csrf):
        return None
    return Form(fields, files)

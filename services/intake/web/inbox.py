"""Reading and marking a unit's inbox at notify, server-side, with the unit's own inbox key (ADR 0061)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from services.intake.settings import IntakeSettings
from services.intake.use_cases import inbox_keys

_TIMEOUT = httpx.Timeout(5.0)
# Links notify wrote before it knew the workspace: the API's resources, translated to the pages for them.
_API_LINKS = (
    (re.compile(r"^/results/([^/?#]+)$"), "/workspace/results/{}"),
    (re.compile(r"^/reports/([^/?#]+)$"), "/workspace/report-versions/{}"),
    (re.compile(r"^/assignments/([^/?#]+)$"), "/workspace/assignments/{}"),
    (re.compile(r"^/assignments$"), "/workspace"),
)


@dataclass(frozen=True)
class Notice:
    id: str
    unit: str
    kind: str
    title: str
    body: str
    link: str | None  # a workspace path, or None
    created_at: datetime
    read: bool

    @property
    def opens(self) -> str:
        """What the notice's button says it opens: the page its link leads to, in the reader's words."""
        path = urlsplit(self.link or "").path
        if path in ("/workspace", "/workspace/"):
            return "Mở trang việc của đơn vị"
        for prefix, label in _PAGES:
            if path.startswith(prefix):
                return label
        return "Mở trang"


# The workspace's pages a notice may lead to, as its button names them (the first prefix that matches).
_PAGES = (
    ("/workspace/assignments/", "Mở trang nhiệm vụ"),
    ("/workspace/approvals", "Mở trang duyệt"),
    ("/workspace/reports", "Mở trang báo cáo"),
    ("/workspace/report-versions/", "Mở trang báo cáo"),
    ("/workspace/results/", "Mở trang nhiệm vụ"),  # a result opens its assignment's page
    ("/workspace/plans", "Mở trang kế hoạch"),
)


class InboxUnavailable(Exception):
    """Notify did not answer, or does not know the unit's key yet; the message says which."""


def workspace_link(link: str | None) -> str | None:
    """The workspace page a notice is about: its own link if it is one, else the page for its API link."""
    if not link:
        return None
    path = urlsplit(link).path
    if path.startswith("/workspace/") or path == "/workspace":
        query = urlsplit(link).query
        return path + (f"?{query}" if query else "")
    for pattern, page in _API_LINKS:
        if found := pattern.match(path):
            return page.format(*found.groups())
    return None


def _headers(settings: IntakeSettings, unit: str) -> dict[str, str]:
    derived = inbox_keys.derive(settings, unit)
    if derived is None:
        raise InboxUnavailable("Hộp thư chưa được cấu hình (thiếu WORKSPACE_SECRET); hãy báo quản trị viên.")
    return {"Authorization": f"Bearer {derived[1]}"}


async def notices(settings: IntakeSettings, unit: str) -> list[Notice]:
    """The unit's inbox, newest first."""
    url = f"{settings.notify_url.rstrip('/')}/inbox/{unit}"
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            answer = await client.get(url, headers=_headers(settings, unit))
    except httpx.HTTPError as failed:
        raise InboxUnavailable("Không kết nối được dịch vụ thông báo; hãy thử lại sau ít phút.") from failed
    if answer.status_code == 401:
        raise InboxUnavailable("Hộp thư của đơn vị đang được chuẩn bị; hãy thử lại sau ít phút.")
    if answer.status_code != 200:
        raise InboxUnavailable("Dịch vụ thông báo tạm thời không trả lời; hãy thử lại sau ít phút.")
    return [
        Notice(
            id=str(n["id"]),
            unit=str(n["unit"]),
            kind=str(n["kind"]),
            title=str(n["title"]),
            body=str(n["body"]),
            link=workspace_link(n.get("link")),
            created_at=datetime.fromisoformat(str(n["created_at"])),
            read=n.get("read_at") is not None,
        )
        for n in answer.json()
    ]


async def mark_read(settings: IntakeSettings, unit: str, notice_id: str, key: str) -> bool:
    """Mark one notice read at notify (idempotent there by `key`); whether notify agreed."""
    url = f"{settings.notify_url.rstrip('/')}/inbox/{unit}/{notice_id}/read"
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            answer = await client.post(url, headers={**_headers(settings, unit), "Idempotency-Key": key})
    except httpx.HTTPError as failed:
        raise InboxUnavailable("Không kết nối được dịch vụ thông báo; hãy thử lại sau ít phút.") from failed
    return answer.status_code == 200

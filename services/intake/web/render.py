"""Rendering the workspace's pages: one Jinja2 environment, safe headers, Vietnamese error pages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dondoc.kernel.clock import VIETNAM, as_utc
from services.intake.http import deps
from services.intake.use_cases.people import ROLES


def vn_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, as Vietnamese offices write dates (a moment in Hải Phòng's time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return as_utc(value).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(vn_date=vn_date)
_ENV.globals.update(roles=ROLES)

# No script runs here and nothing loads from elsewhere; the pages hold live data, so nothing is cached.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_TITLES = {
    400: "Yêu cầu chưa hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy",
    409: "Không thực hiện được",
    413: "Tệp quá lớn",
    422: "Thông tin chưa hợp lệ",
    429: "Quá nhiều yêu cầu",
    503: "Tạm thời chưa phục vụ được",
}


# Forms whose answer may lead on to the dashboard (a sign-in on the way to it, ADR 0091): a browser checks
# form-action along the redirects too, so these pages also allow the dashboard's origin.
_ON_TO_THE_DASHBOARD = frozenset({"login.html", "password.html"})


def _headers(request: Request, template: str) -> dict[str, str]:
    if template not in _ON_TO_THE_DASHBOARD:
        return HEADERS
    dashboard = urlsplit(deps.runtime_of(request).settings.reporting_public_url)
    origin = f"{dashboard.scheme}://{dashboard.netloc}"
    policy = HEADERS["Content-Security-Policy"].replace("form-action 'self'", f"form-action 'self' {origin}")
    return {**HEADERS, "Content-Security-Policy": policy}


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A full page; the signed-in visitor (if any) comes from the request state."""
    context.setdefault("visitor", getattr(request.state, "visitor", None))
    html = _ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=_headers(request, template))


def error(request: Request, status: int, message: str, back: str | None = "/workspace") -> HTMLResponse:
    """A refusal in words a ward officer understands, with a way back."""
    title = _TITLES.get(status, "Có lỗi xảy ra")
    return page(request, "error.html", status, title=title, message=message, back=back, code=status)

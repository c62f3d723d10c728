"""Rendering the dashboard's pages: one Jinja2 environment, safe headers, Vietnamese error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dondoc.kernel.periods import period_label
from services.reporting.domain.vi import format_date
from services.reporting.web import views

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(
    date=format_date,
    when=views.when,
    attachment=views.attachment,
    number=views.number,
    period=period_label,
    style=views.style,
    first_upper=lambda text: text[:1].upper() + text[1:],
)
_ENV.globals.update(legend=views.LEGEND)

# No script runs here, and nothing loads from elsewhere; the pages hold live figures, so nothing is cached.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
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
    422: "Thông tin chưa hợp lệ",
    429: "Quá nhiều yêu cầu",
}


def warm() -> None:
    """Compile every template once at start-up, so the first person to open a page does not wait for it."""
    for name in _ENV.list_templates(filter_func=lambda name: name.endswith(".html")):
        _ENV.get_template(name)


# The query a return form's page is opened with when a return came without its reason (web/actions.py).
MISSING_NOTE = "thieu_ly_do"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A full page; `viewer` (the signed-in principal) and `csrf` come from the request state."""
    state = request.state
    context.setdefault("viewer", getattr(state, "principal", None))
    context.setdefault("csrf", getattr(state, "csrf", ""))
    context.setdefault("viewer_name", getattr(state, "viewer_name", ""))
    context.setdefault("missing_note", request.query_params.get(MISSING_NOTE, ""))
    html = _ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def error(request: Request, status: int, message: str, back: str | None = "/dashboard") -> HTMLResponse:
    """A refusal in words a ward officer understands, with a way back."""
    title = _TITLES.get(status, "Có lỗi xảy ra")
    return page(request, "error.html", status, title=title, message=message, back=back, code=status)

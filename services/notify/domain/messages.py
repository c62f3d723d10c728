"""Render notifications from operator-editable Jinja2 templates: one subject, plain text and HTML per kind."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notify.domain import wording
from services.notify.domain.notices import Message, Notice

_PACKAGED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def default_templates_dir() -> Path:
    """The templates folder shipped with the service (operators may point elsewhere)."""
    return _PACKAGED_TEMPLATES


@lru_cache(maxsize=8)
def _environment(folder: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder, encoding="utf-8"),
        # An operator's copy is read again when edited; the packaged templates change only with the code,
        # and asking the file system whether they did cost a tenth of recording a city plan's notices.
        auto_reload=Path(folder) != _PACKAGED_TEMPLATES,
        # Only HTML is escaped: a task title with "<" or "&" must stay literal in the plain text.
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        # A misspelt variable in an edited template must fail loudly, not print an empty string.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        vn_date=wording.vn_date,
        role=wording.role_words,
        days_left=wording.days_left,
        days_late=wording.days_late,
        plan_citation=wording.plan_citation,
        submission=wording.submission_words,
        first_upper=wording.first_upper,
    )
    env.globals["deadline_phrase"] = wording.deadline_phrase
    env.globals["assigned_late"] = wording.assigned_late
    env.globals["submission_phrase"] = wording.submission_phrase
    return env


@lru_cache(maxsize=8)
def template_environment(folder: Path | None = None) -> Environment:
    """The Jinja2 environment for a templates folder (the packaged one by default), cached per folder."""
    return _environment(str((folder or _PACKAGED_TEMPLATES).resolve()))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _one_line(text: str) -> str:
    # Subjects become mail headers: a stray newline from an edited template must not split them.
    return " ".join(text.split())


def _render_parts(
    env: Environment, prefix: str, context: Mapping[str, object], *, html: bool = True
) -> tuple[str, str, str]:
    subject = env.get_template(f"{prefix}subject.txt").render(context)
    text = env.get_template(f"{prefix}body.txt").render(context)
    page = env.get_template(f"{prefix}body.html").render(context) if html else ""
    return _nfc(_one_line(subject)), _nfc(text.strip() + "\n"), _nfc(page)


def render(notice: Notice, *, templates: Path | None = None, html: bool = True) -> Message:
    """Render one notice with the templates of its kind (`<kind>/subject.txt`, `body.txt`, `body.html`).

    `html=False` leaves the HTML body empty: recording stores the subject and text only (a sender renders
    the whole message again when it sends), and a city plan records thousands of notices at once.
    """
    env = template_environment(templates)
    subject, text, page = _render_parts(env, f"{notice.kind}/", {"n": notice}, html=html)
    return Message(kind=notice.kind, subject=subject, text=text, html=page, link=notice.link)


def build_digest(
    items: Sequence[Notice], *, link: str | None = None, templates: Path | None = None, html: bool = True
) -> Message:
    """Render many notices of one kind for one unit and plan as ONE message listing them all."""
    if not items:
        raise ValueError("a digest needs at least one notice")
    first = items[0]
    if any(type(item) is not type(first) for item in items):
        raise ValueError("a digest holds notices of one kind only")
    if any(item.unit_name != first.unit_name or item.plan != first.plan for item in items):
        raise ValueError("a digest holds notices for one unit and one plan only")
    if len(items) == 1 and link is None:
        return render(first, templates=templates, html=html)
    env = template_environment(templates)
    context = {"first": first, "items": list(items), "count": len(items), "link": link}
    subject, text, page = _render_parts(env, f"{first.kind}/digest_", context, html=html)
    return Message(kind=first.kind, subject=subject, text=text, html=page, link=link, item_count=len(items))

"""What the reporting app includes for the dashboard: its routers and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from services.reporting.web import actions, auth, handover, routes

STATIC = Path(__file__).parent / "static"


def routers() -> list[APIRouter]:
    """Every dashboard router: sign-in, pages, forms and downloads (none in the OpenAPI document)."""
    return [auth.router, handover.router, routes.router, actions.router]


def mount_static(app: FastAPI) -> None:
    """The stylesheet, served by the service (no CDN: a ward office may be offline)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

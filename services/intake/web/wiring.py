"""What intake's app includes for the workspace: its routers and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from services.intake.web import (
    approval_routes,
    assignment_routes,
    auth_routes,
    dashboard_routes,
    inbox_routes,
    people_routes,
    plan_routes,
    report_routes,
    work_routes,
)

STATIC = Path(__file__).parent / "static"


def routers() -> list[APIRouter]:
    """Every workspace router (none of them in the OpenAPI document: they answer pages, not JSON)."""
    return [
        auth_routes.router,
        people_routes.router,
        work_routes.router,
        assignment_routes.router,
        report_routes.router,
        inbox_routes.router,
        approval_routes.router,
        plan_routes.router,
        dashboard_routes.router,
    ]


def mount_static(app: FastAPI) -> None:
    """The stylesheet, served by intake itself (no CDN: a ward office may be offline)."""
    app.mount("/workspace/static", StaticFiles(directory=STATIC), name="workspace-static")

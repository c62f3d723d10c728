"""A person signed out in the workspace is signed out of the dashboard too (ADR 0092)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from dondoc.platform.handover import person_key
from dondoc.platform.uow import UnitOfWork
from services.reporting.models import DashboardSession
from shared.events import PersonSignedOut


async def on_person_signed_out(uow: UnitOfWork, event: PersonSignedOut, _ctx: object) -> None:
    """End the dashboard sessions opened for the person up to the moment intake ended theirs.

    A session opened later (the person signed in again and was handed over anew) stays: the event may be
    consumed after it, and it was opened on a newer word of intake's.
    """
    await uow.session.execute(
        delete(DashboardSession).where(
            col(DashboardSession.key_id) == person_key(event.username),
            col(DashboardSession.created_at) <= event.at,
        )
    )

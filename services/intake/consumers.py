"""Intake's topic → handler map: the replica of tasks and the compilers' reviews, for the workspace."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.intake.projections import replica, reviews

SUBSCRIPTIONS: dict[str, Handler] = {**replica.SUBSCRIPTIONS, **reviews.SUBSCRIPTIONS}

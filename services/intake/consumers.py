"""Intake's topic → handler map: the replica of tasks' assignments and reports owed (`projections.py`)."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.intake import projections

SUBSCRIPTIONS: dict[str, Handler] = dict(projections.SUBSCRIPTIONS)

"""Intake's topic → handler map: the replica of tasks' assignments and reports owed (`replica.py`)."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.intake import replica

SUBSCRIPTIONS: dict[str, Handler] = dict(replica.SUBSCRIPTIONS)

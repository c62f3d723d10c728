"""Intake's topic → handler map: the replica of tasks (`replica.py`) and compilers' reviews (`reviews.py`)."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from services.intake import replica, reviews

SUBSCRIPTIONS: dict[str, Handler] = {**replica.SUBSCRIPTIONS, **reviews.SUBSCRIPTIONS}

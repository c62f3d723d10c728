"""Intake's event → handler map: the replica of tasks and the compilers' reviews, for the workspace."""

from __future__ import annotations

from dondoc.platform.subscriptions import Subscriptions
from services.intake.projections import replica, reviews

SUBSCRIPTIONS = Subscriptions[object]().include(replica.SUBSCRIPTIONS).include(reviews.SUBSCRIPTIONS)

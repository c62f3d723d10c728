"""The tasks service's topic → handler map."""

from __future__ import annotations

from dondoc.platform.consumer import Handler
from dondoc.platform.uow import UnitOfWork
from services.tasks import handlers
from services.tasks.units import UnitDirectory
from shared import topics
from shared.envelope import Envelope


def subscriptions(directory: UnitDirectory) -> dict[str, Handler]:
    async def plan_received(uow: UnitOfWork, envelope: Envelope) -> None:
        await handlers.on_plan_received(uow, envelope, directory)

    return {topics.PLAN_RECEIVED: plan_received}

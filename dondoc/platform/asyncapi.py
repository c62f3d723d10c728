"""The AsyncAPI document of a service, generated from its FastStream broker and its contracts."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import cast

from faststream.specification import AsyncAPI

from dondoc import __version__
from dondoc.platform import kafka
from dondoc.platform.consumer import MessageProcessor
from dondoc.platform.metrics import ServiceMetrics
from dondoc.platform.runtime import ServiceSpec
from dondoc.platform.settings import ServiceSettings
from dondoc.platform.uow import UnitOfWork
from shared.envelope import Envelope
from shared.events import EVENT_MODELS

ENVELOPE_NOTE = "Events travel as CloudEvents 1.0 (structured JSON); the schema is the `data`."

# Who emits what (through its outbox): the other half of each service's topic map.
PUBLISHES: dict[str, tuple[str, ...]] = {
    "intake": (
        "plan.received",
        "result.submitted",
        "report.submitted",
        "credential.changed",
        "directory.published",
        "person.signed_out",
        "approval.requested",
        "approval.decided",
    ),
    "tasks": (
        "task.assigned",
        "task.withdrawn",
        "task.status_changed",
        "deadline.near",
        "task.overdue",
        "report.due",
        "report.missed",
    ),
    "reporting": ("report.generated",),
    "notify": ("notification.sent",),
}


def _never_called() -> UnitOfWork:
    raise RuntimeError("documentation only")


async def _no_handler(_uow: UnitOfWork, _envelope: Envelope) -> None:
    return None


def asyncapi_document(spec: ServiceSpec, settings: ServiceSettings) -> dict[str, object]:
    """Build (without connecting) the service's broker with its subscribers and publishers; describe it."""
    metrics = ServiceMetrics(spec.name, __version__, settings.git_commit)
    broker = kafka.build_broker(settings, metrics)
    handler = cast(Callable[[UnitOfWork, Envelope], Awaitable[None]], _no_handler)
    processors = {t: MessageProcessor(f"{spec.name}.{t}", handler, _never_called) for t in spec.subscriptions}
    kafka.bind_processors(broker, spec.name, processors, settings, metrics, _never_called)
    for topic in PUBLISHES.get(spec.name, ()):
        model = EVENT_MODELS.get(topic)
        if model is not None:
            broker.publisher(
                topic, title=f"{spec.name}:{topic}", description=(model.__doc__ or "").strip(), schema=model
            )
    document = AsyncAPI(
        broker,
        title=f"dondoc {spec.name}",
        version=__version__,
        description=ENVELOPE_NOTE,
    )
    rendered: dict[str, object] = json.loads(document.to_specification().to_json())
    return rendered

"""The delivery worker: claims due notifications, sends them outside any transaction, records the outcome.

Never twice, as far as a sender can promise: a batch is marked "sending" with a fresh attempt id and
committed before the send, and "sent" after. A crash between the receiver's acceptance and our commit
leaves the batch "sending"; when its lease runs out it is sent again with the SAME Message-ID and
X-Dondoc-Event-Id (the batch id), so mail systems and receivers can drop the duplicate. That window is
the residual at-least-once of any sender without a two-phase protocol with the receiver.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta

import httpx
from sqlmodel import col, select

from dondoc.platform.jobs import Job
from dondoc.platform.runtime import Runtime
from services.notify.context import NotifyContext, NotifyRuntime
from services.notify.domain.retry import DeliveryResult, Outcome, RetryDecision, RetryPolicy, decide
from services.notify.models import DeliveryAttempt, Notification, Subscription
from services.notify.use_cases.claims import Batch, claim_due
from services.notify.use_cases.senders import send
from shared.events import NotificationSent

log = logging.getLogger(__name__)
_OUTCOME = {"done": "sent", "retry": "failed", "dead_letter": "dead_lettered"}


def retry_policy(ctx: NotifyContext) -> RetryPolicy:
    """The retry policy from settings."""
    s = ctx.settings
    return RetryPolicy(
        base=timedelta(seconds=s.notify_retry_base_seconds),
        cap=timedelta(seconds=s.notify_retry_cap_seconds),
        max_attempts=s.notify_max_attempts,
    )


DELIVERY = "notify-delivery"


class DeliveryWorker:
    """Claims what is due and sends it, a round every `notify_worker_poll_seconds` (the platform's job)."""

    def __init__(self, ctx: NotifyContext) -> None:
        self._ctx = ctx
        self._policy = retry_policy(ctx)
        self._rand = random.SystemRandom().random
        self._http: httpx.AsyncClient | None = None

    def job(self) -> Job[NotifyRuntime]:
        """The delivery loop: its HTTP client opened at start and closed after the last round."""
        every = self._ctx.settings.notify_worker_poll_seconds
        return Job(DELIVERY, every, self.tick, on_start=self.open, on_stop=self.close)

    async def open(self, _runtime: Runtime) -> None:
        """The webhooks' HTTP client. No redirects (a 3xx could lead past the address check) and no proxy
        from the environment: the connection goes straight to the address send_webhook checked."""
        self._http = httpx.AsyncClient(
            timeout=self._ctx.settings.notify_webhook_timeout_seconds, follow_redirects=False, trust_env=False
        )

    async def close(self, _runtime: Runtime) -> None:
        """After the last round (the one in flight finishes and is recorded first)."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def tick(self, runtime: Runtime) -> int:
        """Claim what is due and send it; returns how many batches were sent (or tried)."""
        s = self._ctx.settings
        async with runtime.uow() as uow:
            batches = await claim_due(
                uow,
                self._ctx.clock.now(),
                window=timedelta(seconds=s.notify_digest_window_seconds),
                lease=timedelta(seconds=s.notify_sending_lease_seconds),
                limit=s.notify_worker_batch_size,
            )
            await uow.commit()
        for batch in batches:
            await self._deliver(runtime, batch)
        return len(batches)

    async def _deliver(self, runtime: Runtime, batch: Batch) -> None:
        async with runtime.uow() as uow:
            subscription = await uow.session.get(Subscription, batch.unit)
        if self._http is None:
            raise RuntimeError("the delivery worker's HTTP client is not open")
        started = self._ctx.clock.now()
        clock_start = time.perf_counter()
        try:
            result = await send(self._ctx, self._http, batch, subscription)
        except Exception as exc:
            # A bug or a broken edited template must not leave the row "sending" forever:
            # it is retried with backoff and ends in the dead letters, visible to operators.
            log.exception("sending a notification failed", extra={"batch": batch.batch_id})
            result = DeliveryResult(Outcome.TRANSIENT, f"internal error: {type(exc).__name__}: {exc}")
        latency = time.perf_counter() - clock_start
        decision = decide(result, batch.attempts_before + 1, self._policy, self._rand)
        await self._record(runtime, batch, result, decision, latency, started)

    async def _record(
        self,
        runtime: Runtime,
        batch: Batch,
        result: DeliveryResult,
        decision: RetryDecision,
        latency: float,
        started: datetime,
    ) -> None:
        now = self._ctx.clock.now()
        async with runtime.uow() as uow:
            query = select(Notification).where(
                col(Notification.id).in_(batch.notification_ids),
                col(Notification.attempt_id) == batch.attempt_id,
            )
            for row in (await uow.session.exec(query)).all():
                row.attempts += 1
                row.lease_until = None
                row.last_error = None if result.ok else result.detail[:2000]
                if decision.action == "done":
                    row.state, row.sent_at = "sent", now
                elif decision.action == "retry":
                    row.state, row.next_attempt_at = "pending", now + decision.delay
                else:
                    row.state, row.dead_at = "dead", now
                uow.session.add(
                    DeliveryAttempt(
                        notification_id=row.id,
                        attempt_id=batch.attempt_id,
                        number=row.attempts,
                        outcome=result.outcome.value,
                        decision=decision.action,
                        status=result.status,
                        detail=result.detail[:2000],
                        latency_ms=round(latency * 1000, 3),
                        started_at=started,
                    )
                )
                if decision.action != "retry":
                    uow.emit(self._sent_event(row, decision), key=row.unit, subject=row.id)
            await uow.commit()
        self._observe(batch, decision, latency)

    @staticmethod
    def _sent_event(row: Notification, decision: RetryDecision) -> NotificationSent:
        return NotificationSent(
            notification_id=row.id,
            unit=row.unit,
            channel="email" if row.channel == "email" else "webhook",
            outcome="sent" if decision.action == "done" else "dead_lettered",
            source_event_id=row.source_event_id,
        )

    def _observe(self, batch: Batch, decision: RetryDecision, latency: float) -> None:
        metrics = self._ctx.metrics
        if metrics is None:
            return
        metrics.delivery_seconds.labels(batch.channel).observe(latency)
        metrics.notifications.labels(batch.channel, _OUTCOME[decision.action]).inc(
            len(batch.notification_ids)
        )

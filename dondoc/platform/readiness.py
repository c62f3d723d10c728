"""Readiness as the operator sees it: the `dondoc_ready` gauge, and one log line per change of state.

`/ready` answers whoever asks; nobody may be asking while the broker is away. So a watcher checks every
few seconds whether the store and the broker answer, sets `dondoc_ready` (1 ready, 0 not; the alert
ServiceNotReady fires after a minute at 0) and logs a change of state once: "not ready" with the checks
that failed, "ready again" with how long it took. `/ready` reports through the same `Readiness`, so its
answers never log a second line for a state already logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from prometheus_client import Gauge

from dondoc.platform.log_summary import broker_recovered

log = logging.getLogger("dondoc.readiness")
Checks = dict[str, bool]


class Readiness:
    """The last known readiness of this service instance; `observe` records a fresh set of checks."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge
        self.gauge.set(0)  # not ready until the first check says so
        self._ready: bool | None = None
        self._been_ready = False
        self._since = time.monotonic()

    def observe(self, checks: Checks) -> bool:
        """Set the gauge; log when readiness changes (never on a repeat). Returns whether ready."""
        ready = all(checks.values())
        self.gauge.set(1 if ready else 0)
        if checks.get("broker"):
            broker_recovered()  # closes a summarised outage of connection errors with one line
        if ready != self._ready:
            now = time.monotonic()
            if ready and not self._been_ready:  # starting: not ready until the broker is connected
                log.info("ready", extra={"checks": checks})
            elif ready:
                took = round(now - self._since, 1)
                log.warning("ready again", extra={"checks": checks, "not_ready_seconds": took})
            elif self._ready is None:
                log.info("not ready yet", extra={"checks": checks})
            else:
                failing = sorted(name for name, ok in checks.items() if not ok)
                log.warning("not ready", extra={"checks": checks, "failing": failing})
            self._ready, self._since = ready, now
            self._been_ready = self._been_ready or ready
        return ready


async def watch_readiness(
    check: Callable[[], Awaitable[Checks]], readiness: Readiness, every: float = 5.0
) -> None:
    """Check readiness every `every` seconds for as long as the service runs."""
    while True:
        try:
            readiness.observe(await check())
        except Exception:  # a check that cannot even run is a service that is not ready
            readiness.observe({"check": False})
        await asyncio.sleep(every)

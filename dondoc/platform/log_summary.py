"""A broker outage in a few log lines: connection errors summarised instead of repeated thousands of times.

With the broker away, aiokafka logs every failed connection, metadata refresh, fetch and heartbeat: about
5,500 lines a minute per service (measured with Tansu stopped under tasks), burying the one useful line.
`BrokerTroubleSummary`, a filter on the log handler, lets the first such line through as
"broker connection errors started" (with the error itself), swallows the repeats while counting them,
writes "broker connection errors continue" with the count once per interval (a minute by default), and
"broker connection errors ended" once the readiness watcher sees the broker answer again
(`broker_recovered`). Every aiokafka warning or error counts as broker trouble; our own repeating lines
(the relay, the epoch check, the lag watcher) count when their error is a connection error.
"""

from __future__ import annotations

import logging
import re
import threading
import time

SUMMARY_LOGGER = "dondoc.broker"
# Our own lines that repeat while the broker is away, when their error is a connection error.
_OWN_REPEATS = frozenset(
    {
        "broker epoch unknown",
        "broker unavailable, retrying",
        "outbox publish deferred",
        "outbox publish failed",
        "consumer lag unavailable",
        "outbox count unavailable",
    }
)
_CONNECTION = re.compile(
    r"Unable connect|Connect call failed|Connection refused|NodeNotReady|KafkaConnectionError|"
    r"Unable to (update|request) metadata|NoBrokersAvailable|KafkaTimeoutError|RequestTimedOut|"
    r"coordinator|timed out|ConnectionError",
    re.IGNORECASE,
)


class BrokerTroubleSummary(logging.Filter):
    """Summarises broker connection errors; `broker_recovered()` closes an outage with one line."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__()
        self.interval = interval
        self._lock = threading.Lock()
        self._active = False
        self._started = 0.0
        self._last_line = 0.0
        self._since_line = 0
        self._total = 0
        # After a recovery the consumers rejoin their group, and aiokafka warns about the rebalance for a few
        # seconds: that is the end of the same outage, not a new one, so it is counted and not written.
        self.settle = min(interval, 15.0)
        self._settle_until = 0.0

    def _is_trouble(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("aiokafka"):
            return record.levelno >= logging.WARNING
        if record.name.startswith("dondoc.") and record.msg in _OWN_REPEATS:
            return bool(_CONNECTION.search(str(getattr(record, "error", ""))))
        return False

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._is_trouble(record):
            return True
        now = time.monotonic()
        with self._lock:
            self._total += 1
            self._since_line += 1
            if not self._active and now < self._settle_until:
                return False
            if not self._active:
                self._active, self._started, self._last_line = True, now, now
                self._since_line, self._total = 0, 1
                _rewrite(record, "broker connection errors started", first_error=record.getMessage())
                return True
            if now - self._last_line < self.interval:
                return False
            count, seconds = self._since_line, round(now - self._last_line)
            self._last_line, self._since_line = now, 0
        _rewrite(record, "broker connection errors continue", errors=count, seconds=seconds)
        return True

    def recovered(self) -> None:
        """The broker answers again: close the outage with one line (nothing when none was on)."""
        with self._lock:
            if not self._active:
                return
            self._active = False
            self._settle_until = time.monotonic() + self.settle
            total, seconds = self._total, round(time.monotonic() - self._started, 1)
            self._total = self._since_line = 0
        logging.getLogger(SUMMARY_LOGGER).warning(
            "broker connection errors ended", extra={"errors": total, "seconds": seconds}
        )


def _rewrite(record: logging.LogRecord, message: str, **fields: object) -> None:
    record.name, record.msg, record.args = SUMMARY_LOGGER, message, ()
    record.levelno, record.levelname = logging.WARNING, "WARNING"
    record.exc_info = record.exc_text = None
    for name, value in fields.items():
        setattr(record, name, value)


def broker_recovered() -> None:
    """Tell every summarising handler of the root logger that the broker answers again."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, BrokerTroubleSummary):
                found.recovered()

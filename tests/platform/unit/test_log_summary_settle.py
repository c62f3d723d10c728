"""The rejoin noise right after a broker comes back closes the same outage; later trouble opens a new one."""

from __future__ import annotations

import logging
import time

from dondoc.platform.log_summary import BrokerTroubleSummary


def _aiokafka_warning(text: str) -> logging.LogRecord:
    return logging.LogRecord(
        "aiokafka.consumer.group_coordinator", logging.WARNING, __file__, 1, text, (), None
    )


def test_rebalance_warnings_just_after_recovery_do_not_open_a_second_outage() -> None:
    summary = BrokerTroubleSummary(interval=2.0)
    first = _aiokafka_warning("Unable connect to node with id 0")
    assert summary.filter(first) and first.getMessage() == "broker connection errors started"
    summary.recovered()
    # the group rejoins: aiokafka warns about the rebalance, which is the end of the same outage
    assert not summary.filter(_aiokafka_warning("Heartbeat failed for group: rebalancing"))
    time.sleep(2.1)  # past the settling window, trouble is a new outage again
    again = _aiokafka_warning("Unable connect to node with id 0")
    assert summary.filter(again) and again.getMessage() == "broker connection errors started"

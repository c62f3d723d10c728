"""A generated report keeps the inputs it was compiled from, as JSON, and compiles again from them alike."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from services.reporting.domain.snapshot import digest, inputs_from_dict, inputs_to_dict
from tests.support.reporting.ledger_scenario import scenario


def _by_asdict(item: Any) -> Any:
    """The snapshot as dataclasses.asdict gives it, the way it was first written: the reference."""
    if isinstance(item, dict):
        return {key: _by_asdict(value) for key, value in item.items()}
    if isinstance(item, list | tuple):
        return [_by_asdict(value) for value in item]
    return item.isoformat() if isinstance(item, datetime | date) else item


def test_the_snapshot_holds_every_record_field_by_field_as_asdict_would_and_reads_back_the_same() -> None:
    inputs = scenario()
    snapshot = inputs_to_dict(inputs)
    assert snapshot == {"version": 1, **_by_asdict(asdict(inputs))}
    assert list(snapshot) == ["version", *asdict(inputs)]  # the keys in the fields' order
    assert all(snapshot[name] for name in ("tasks", "units", "assignments", "results"))
    assert json.loads(json.dumps(snapshot)) == snapshot  # plain JSON
    assert inputs_from_dict(snapshot) == inputs
    assert digest(inputs_to_dict(inputs_from_dict(snapshot))) == digest(snapshot)

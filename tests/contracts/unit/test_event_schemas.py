"""Contract snapshots: a change to any event's JSON schema is a deliberate, reviewed act.

After an intended (additive) change, refresh with `UPDATE_SNAPSHOTS=1 pytest tests/contracts`.
A breaking change also bumps the event's `schema_version` and adds an upcaster at the consumer edge.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from shared.envelope import Envelope
from shared.events import EVENT_MODELS

SNAPSHOTS = Path(__file__).parent / "snapshots"
SCHEMAS = {"envelope": Envelope.model_json_schema()} | {
    f"{topic}.v{model.schema_version}": model.model_json_schema() for topic, model in EVENT_MODELS.items()
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_event_schema_matches_its_snapshot(name: str) -> None:
    path = SNAPSHOTS / f"{name}.json"
    current = json.dumps(SCHEMAS[name], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(current, encoding="utf-8")
    assert path.exists(), f"no snapshot for {name}: run with UPDATE_SNAPSHOTS=1 after reviewing the schema"
    assert path.read_text(encoding="utf-8") == current, f"{name} changed: review, then UPDATE_SNAPSHOTS=1"


def test_every_snapshot_belongs_to_a_current_event() -> None:
    assert {p.stem for p in SNAPSHOTS.glob("*.json")} == set(SCHEMAS)


def test_every_payload_says_when_it_is_emitted() -> None:
    for model in EVENT_MODELS.values():
        assert (model.__doc__ or "").startswith("Emitted "), model.__name__

"""In-memory stand-ins for the platform's ports, for unit tests of its rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from dondoc.platform.outbox import Lease, PendingMessage


class FakeOutboxStore:
    """Rows in a list; a lease hands out the unpublished ones in id order."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def add(self, topic: str, key: str | None, payload: bytes) -> None:
        self.rows.append(
            {
                "id": len(self.rows) + 1,
                "topic": topic,
                "key": key,
                "payload": payload,
                "published": False,
                "attempts": 0,
                "error": None,
            }
        )

    @asynccontextmanager
    async def lease(self, limit: int) -> AsyncIterator[Lease]:
        pending = [r for r in self.rows if not r["published"]][:limit]
        lease = Lease(
            [
                PendingMessage(
                    int(r["id"]),
                    f"e{r['id']}",
                    str(r["topic"]),
                    r["key"],  # type: ignore[arg-type]
                    bytes(r["payload"]),
                    datetime.now(UTC),
                )
                for r in pending
            ]
        )  # type: ignore[arg-type]
        yield lease
        for row in self.rows:
            if row["id"] in lease.published:
                row["published"] = True
            if lease.failure and row["id"] == lease.failure[0]:
                row["attempts"] = int(row["attempts"]) + 1  # type: ignore[call-overload]
                row["error"] = lease.failure[1]

    async def backlog(self) -> tuple[int, datetime | None]:
        pending = [r for r in self.rows if not r["published"]]
        return len(pending), (datetime.now(UTC) if pending else None)

    async def republish(self) -> int:
        published = [r for r in self.rows if r["published"]]
        for row in published:
            row["published"] = False
        return len(published)


class FlakyBroker:
    """Accepts messages, except that it refuses while `down` or for the payloads listed in `refuse`."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str | None, bytes]] = []
        self.down = False
        self.refuse: set[bytes] = set()

    async def publish(self, topic: str, key: str | None, payload: bytes) -> None:
        if self.down or payload in self.refuse:
            raise ConnectionError("broker unavailable")
        self.sent.append((topic, key, payload))

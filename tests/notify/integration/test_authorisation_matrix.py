"""Who may read and write what in the notify service: every route, every kind of caller.

Each ward and the ward's Văn phòng have an overdue notice in their inboxes; the ward's webhook is down, so
its copy lies in the dead letters. A ward reads and marks its own and its offices' messages, an office
its own, another ward none of them; only the city administrator re-sends; every refused write is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from dondoc.platform.runtime import Runtime
from services.notify.app import create_app
from shared.envelope import wrap
from shared.events import TaskOverdue
from tests.support import eventually, publish_raw, running
from tests.support.authz import SOME, By, Call, admin_only, everyone, issue_keys, signed_in, uncovered, walk
from tests.support.notify import AUTH, WEBHOOK_SECRET, free_port, notify_settings

pytestmark = pytest.mark.integration
WARD, OFFICE, OTHER = "11407", "11407.VP", "11411"  # An Biên, its Văn phòng HĐND và UBND; Đông Hải
NOBODY_LISTENS = f"http://127.0.0.1:{free_port()}/dondoc"
# Refused even with the loopback receivers development and these tests opt in to.
INSIDE = (
    "http://169.254.169.254/latest/meta-data/",
    "https://10.0.0.7/dondoc",
    "https://[fd00::1]/dondoc",
    "https://[fe80::1]/dondoc",
)


@dataclass(frozen=True)
class Seeded:
    """The inbox message of the ward, of its office and of the other ward; the ward's dead webhook."""

    ward_message: str
    office_message: str
    other_message: str
    dead_webhook: str


def matrix(s: Seeded) -> list[Call]:
    """Every route of the notify service × every caller, in the order the calls are made."""
    ward_hook = {"webhook_url": NOBODY_LISTENS, "kinds": ["overdue"]}
    quiet = {"quiet_weekends": True}
    return [
        Call("GET", "/health", everyone(200)),
        Call("GET", "/ready", everyone(200)),
        Call("GET", "/metrics", everyone(200)),
        Call("GET", "/openapi.json", signed_in(200)),
        Call("GET", "/asyncapi.json", signed_in(200)),
        # Subscriptions: a ward's key reads its own and its offices'; nobody reads another ward's.
        Call(
            "GET",
            "/units/{unit}/subscription",
            By(admin=200, ward=200, office=403, other=403),
            {"unit": WARD},
        ),
        Call(
            "GET",
            "/units/{unit}/subscription",
            By(admin=404, ward=404, office=404, other=403),
            {"unit": OFFICE},
        ),
        Call(
            "GET",
            "/units/{unit}/subscription",
            By(admin=404, ward=403, office=403, other=404),
            {"unit": OTHER},
        ),
        # Inboxes and the notifications sent to a unit.
        Call("GET", "/inbox/{unit}", By(admin=SOME, ward=SOME, office=403, other=403), {"unit": WARD}),
        Call("GET", "/inbox/{unit}", By(admin=SOME, ward=SOME, office=SOME, other=403), {"unit": OFFICE}),
        Call("GET", "/inbox/{unit}", By(admin=SOME, ward=403, office=403, other=SOME), {"unit": OTHER}),
        Call(
            "GET",
            "/units/{unit}/notifications",
            By(admin=SOME, ward=SOME, office=403, other=403),
            {"unit": WARD},
        ),
        Call(
            "GET",
            "/units/{unit}/notifications",
            By(admin=SOME, ward=SOME, office=SOME, other=403),
            {"unit": OFFICE},
        ),
        Call(
            "GET",
            "/units/{unit}/notifications",
            By(admin=SOME, ward=403, office=403, other=SOME),
            {"unit": OTHER},
        ),
        Call(
            "GET",
            "/notifications/{notification_id}",
            By(admin=200, ward=200, office=404, other=404),
            {"notification_id": s.ward_message},
        ),
        Call(
            "GET",
            "/notifications/{notification_id}",
            By(admin=200, ward=200, office=200, other=404),
            {"notification_id": s.office_message},
        ),
        Call(
            "GET",
            "/notifications/{notification_id}",
            By(admin=200, ward=404, office=404, other=200),
            {"notification_id": s.other_message},
        ),
        Call("GET", "/admin/dead-notifications", admin_only(SOME)),
        # Writes.
        Call(
            "PUT",
            "/units/{unit}/subscription",
            By(admin=200, ward=200, office=403, other=403),
            {"unit": WARD},
            json=ward_hook,
        ),
        # A webhook into the city's own network (SSRF) is refused for everyone; another ward still learns
        # only that it may not act for this unit (403), never whether the address would have passed.
        *(
            Call(
                "PUT",
                "/units/{unit}/subscription",
                By(admin=422, ward=422, office=403, other=403),
                {"unit": WARD},
                json={"webhook_url": inside, "webhook_secret": WEBHOOK_SECRET},
            )
            for inside in INSIDE
        ),
        Call(
            "PUT",
            "/units/{unit}/subscription",
            By(admin=200, ward=200, office=200, other=403),
            {"unit": OFFICE},
            json=quiet,
        ),
        Call(
            "PUT",
            "/units/{unit}/subscription",
            By(admin=200, ward=403, office=403, other=200),
            {"unit": OTHER},
            json=quiet,
        ),
        Call(
            "POST",
            "/inbox/{unit}/{notification_id}/read",
            By(admin=200, ward=200, office=403, other=403),
            {"unit": WARD, "notification_id": s.ward_message},
        ),
        Call(
            "POST",
            "/inbox/{unit}/{notification_id}/read",
            By(admin=200, ward=200, office=200, other=403),
            {"unit": OFFICE, "notification_id": s.office_message},
        ),
        Call(
            "POST",
            "/inbox/{unit}/{notification_id}/read",
            By(admin=200, ward=403, office=403, other=200),
            {"unit": OTHER, "notification_id": s.other_message},
        ),
        # The ward names itself but another ward's message: not found, and audited as refused.
        Call(
            "POST",
            "/inbox/{unit}/{notification_id}/read",
            By(admin=404, ward=404, office=403, other=403),
            {"unit": WARD, "notification_id": s.other_message},
        ),
        Call(
            "POST",
            "/admin/notifications/{notification_id}/resend",
            admin_only(202),
            {"notification_id": s.dead_webhook},
        ),
        Call(
            "POST",
            "/admin/notifications/{notification_id}/resend",
            admin_only(404),
            {"notification_id": "khong-co-thong-bao-nay"},
        ),
    ]


def test_the_matrix_names_every_route_of_the_notify_app() -> None:
    placeholder = Seeded(*(["x"] * 4))
    missing, unknown = uncovered(create_app(), matrix(placeholder))
    assert not missing, f"routes without a row in the authorisation matrix: {sorted(missing)}"
    assert not unknown, f"matrix rows for routes the app does not have: {sorted(unknown)}"


async def _seed(client: httpx.AsyncClient, broker: str) -> Seeded:
    hook = {"webhook_url": NOBODY_LISTENS, "webhook_secret": WEBHOOK_SECRET, "kinds": ["overdue"]}
    assert (await client.put(f"/units/{WARD}/subscription", json=hook, headers=AUTH)).status_code == 200
    for n, unit in enumerate((WARD, OFFICE, OTHER)):
        event = TaskOverdue(assignment_id=f"a-{n}", unit=unit, due=date(2026, 5, 29))
        envelope = wrap(event, source="tasks", correlation_id=f"authz-{unit}")
        await publish_raw(broker, event.topic, envelope.to_bytes(), key=unit.encode())

    async def message_of(unit: str) -> str | None:
        rows = (await client.get(f"/inbox/{unit}", headers=AUTH)).json()
        return str(rows[0]["id"]) if rows else None

    async def dead() -> str | None:
        rows = (await client.get("/admin/dead-notifications", headers=AUTH)).json()
        return str(rows[0]["id"]) if rows else None

    return Seeded(
        ward_message=await eventually(lambda: message_of(WARD), what="the ward's message"),
        office_message=await eventually(lambda: message_of(OFFICE), what="the office's message"),
        other_message=await eventually(lambda: message_of(OTHER), what="the other ward's message"),
        dead_webhook=await eventually(dead, what="the ward's webhook dead-lettered"),
    )


async def test_each_caller_reads_and_writes_only_what_it_acts_for(broker: str, database_url: str) -> None:
    settings = notify_settings(
        database_url, broker, free_port(), notify_max_attempts=1, notify_digest_window_seconds=0
    )
    app = create_app(settings)
    async with running(app) as client:
        runtime: Runtime = app.runtime
        keys = await issue_keys(broker, runtime, ward=WARD, office=OFFICE, other=OTHER)
        seeded = await _seed(client, broker)
        problems = await walk(client, runtime, keys, matrix(seeded))
    assert not problems, "\n".join(problems)

"""From the workspace to the dashboard: a person is handed over, signed, to the page they asked for."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from dondoc.platform import handover
from dondoc.platform.runtime import Runtime
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support import ADMIN_TOKEN
from tests.support.intake import scenarios as s
from tests.support.intake.pages import NEW_PASSWORD, audit, browser, csrf, sign_in

STP = "HP.SO-TU-PHAP"
TARGET = "/dashboard/assignments/a-1"


def test_a_person_signing_in_on_the_way_is_handed_over_to_the_dashboard_page_asked_for(
    broker: str, database_url: str
) -> None:
    temporary = s.cli(
        database_url, "people", "add", "--username", "thu.pham", "--name", "Phạm Minh Thu", "--unit", STP
    )
    settings = IntakeSettings(
        kafka_bootstrap=broker,
        database_url=database_url,
        dondoc_admin_token=ADMIN_TOKEN,
        reporting_public_url="https://reporting.test/",
    )
    app = create_app(settings)

    async def scenario() -> None:
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.runtime
            async with browser(app) as person:
                asked = f"/workspace/dashboard?next={TARGET}"
                first = await person.get(asked)
                assert first.status_code == 303 and first.headers["location"].startswith(
                    "/workspace/login?next="
                )
                next_page = parse_qs(urlsplit(first.headers["location"]).query)["next"][0]
                assert next_page == asked
                # The browser checks form-action along the sign-in's redirects, out to the dashboard too.
                policy = (await person.get(first.headers["location"])).headers["content-security-policy"]
                assert "form-action 'self' https://reporting.test;" in policy
                signed = await sign_in(person, "thu.pham", temporary, next_page)
                change = signed.headers["location"]
                assert parse_qs(urlsplit(change).query)["next"][0] == asked  # kept whole through the change
                page = (await person.get(change)).text
                form = {
                    "csrf": csrf(page),
                    "current": temporary,
                    "new": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                    "next": next_page,
                }
                changed = await person.post("/workspace/password", data=form)
                assert changed.status_code == 303 and changed.headers["location"] == asked
                handed = await person.get(asked)
                assert handed.status_code == 303
                location = urlsplit(handed.headers["location"])
                assert (location.scheme, location.netloc, location.path) == (
                    "https",
                    "reporting.test",
                    "/dashboard/handover",
                )
                query = parse_qs(location.query)
                assert query["next"] == [TARGET]
                claims = handover.verify(ADMIN_TOKEN, query["token"][0], datetime.now(UTC))
                assert claims is not None
                assert (claims.username, claims.name, claims.unit, claims.role) == (
                    "thu.pham",
                    "Phạm Minh Thu",
                    STP,
                    "unit",
                )
                elsewhere = await person.get("/workspace/dashboard?next=https://evil.example/")
                assert parse_qs(urlsplit(elsewhere.headers["location"]).query)["next"] == ["/dashboard"]
                assert [r[0] for r in await audit(runtime, "dashboard.handover")] == ["person:thu.pham"] * 2

    asyncio.run(scenario())

"""Over HTTP: a ward that floods gets 429 with Retry-After, and another ward is served meanwhile."""

from __future__ import annotations

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support import ADMIN_TOKEN, running

pytestmark = pytest.mark.integration
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_one_wards_flood_is_refused_with_retry_after_while_another_ward_is_served(
    broker: str, tmp_path: object
) -> None:
    settings = IntakeSettings(
        kafka_bootstrap=broker,
        database_url=f"sqlite:///{tmp_path}/intake.db",
        dondoc_admin_token=ADMIN_TOKEN,
        rate_limit_per_minute=60,
    )  # bursts of 10
    async with running(create_app(settings)) as client:
        tokens = {}
        for unit in ("11407", "10507"):
            issued = await client.post("/admin/keys", json={"unit": unit}, headers=ADMIN)
            assert issued.status_code == 201, issued.text
            tokens[unit] = {"Authorization": f"Bearer {issued.json()['token']}"}
        answers = [await client.get("/plans/none", headers=tokens["11407"]) for _ in range(15)]
        refused = [a for a in answers if a.status_code == 429]
        assert refused and all(a.status_code in (404, 429) for a in answers)
        assert int(refused[0].headers["Retry-After"]) >= 1
        assert "thử lại sau" in refused[0].json()["detail"]
        other = await client.get("/plans/none", headers=tokens["10507"])
        assert other.status_code == 404

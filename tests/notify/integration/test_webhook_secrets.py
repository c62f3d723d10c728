"""Units' webhook secrets are stored encrypted, still sign every webhook, and survive a key rotation.

Notify runs on the real broker with its own store; the ward's receiver is a real HTTP server verifying each
signature with the secret the unit gave. The rotation runs the real `dondoc notify-secrets reencrypt`.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from dondoc.platform import migrations
from dondoc.platform.db import create_engine
from services.notify.app import MIGRATIONS, create_app
from services.notify.channels.secrets_at_rest import PREFIX, SecretBox, SecretsKeyMissing
from shared.envelope import wrap
from shared.events import TaskOverdue
from tests.support import eventually, publish_raw, running
from tests.support.notify import (
    AUTH,
    SECRETS_KEY,
    WEBHOOK_SECRET,
    Mailbox,
    WardSystem,
    notify_settings,
)

pytestmark = pytest.mark.integration
OLD_UNIT, NEW_UNIT = "11407", "11411"  # a secret stored in plain text before this change; one saved now


async def _stored(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT unit, webhook_secret FROM subscriptions"))
            return {unit: secret for unit, secret in rows.all()}
    finally:
        await engine.dispose()


async def _store_plain(url: str, receiver: str) -> None:
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, url)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO subscriptions (unit, webhook_url, webhook_secret, emails, kinds, "
                    "quiet_weekends, updated_at) VALUES (:unit, :url, :secret, '[]', '[]', false, :at)"
                ),
                {"unit": OLD_UNIT, "url": receiver, "secret": WEBHOOK_SECRET, "at": datetime.now(UTC)},
            )
    finally:
        await engine.dispose()


async def test_secrets_are_encrypted_at_rest_sign_webhooks_and_survive_a_rotation(
    broker: str, database_url: str, ward: tuple[WardSystem, str], mailbox: tuple[Mailbox, int]
) -> None:
    system, receiver = ward
    await _store_plain(database_url, receiver)
    settings = notify_settings(database_url, broker, mailbox[1], notify_digest_window_seconds=0)
    async with running(create_app(settings)) as client:
        hook = {"webhook_url": receiver, "webhook_secret": WEBHOOK_SECRET}
        answer = await client.put(f"/units/{NEW_UNIT}/subscription", json=hook, headers=AUTH)
        assert answer.status_code == 200, answer.text
        stored = await _stored(database_url)
        # Nothing in the store reads as the secret: the new one sealed on save, the old one at start-up.
        assert all(value.startswith(PREFIX) and WEBHOOK_SECRET not in value for value in stored.values())
        assert len(stored) == 2
        for n, unit in enumerate((OLD_UNIT, NEW_UNIT)):
            event = TaskOverdue(assignment_id=f"a-{n}", unit=unit, due=date(2026, 5, 29))
            envelope = wrap(event, source="tasks", correlation_id="secrets")
            await publish_raw(broker, event.topic, envelope.to_bytes(), key=unit.encode())

        async def both_accepted() -> bool:
            return len(system.accepted) == 2

        await eventually(both_accepted, what="both webhooks accepted by the ward's receiver")
    assert len(system.seen) == 2 and all(genuine for _, genuine in system.seen)  # signed with the secret

    # Rotation: the new key first, the old one after it; the command re-encrypts every row under the new key.
    new_key = Fernet.generate_key().decode()
    env = os.environ | {"DATABASE_URL": database_url, "NOTIFY_SECRETS_KEYS": f"{new_key},{SECRETS_KEY}"}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "dondoc.cli", "notify-secrets", "reencrypt"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2 webhook secrets" in done.stdout
    rotated = await _stored(database_url)
    assert rotated != stored
    for value in rotated.values():
        assert SecretBox(new_key).open(value) == WEBHOOK_SECRET  # the old key can now be dropped
        with pytest.raises(SecretsKeyMissing):
            SecretBox(SECRETS_KEY).open(value)


async def test_without_a_key_a_secret_is_refused_not_stored_in_plain_text(
    broker: str, database_url: str, ward: tuple[WardSystem, str], mailbox: tuple[Mailbox, int]
) -> None:
    _, receiver = ward
    settings = notify_settings(database_url, broker, mailbox[1], notify_secrets_keys=None)
    async with running(create_app(settings)) as client:
        hook = {"webhook_url": receiver, "webhook_secret": WEBHOOK_SECRET}
        answer = await client.put(f"/units/{NEW_UNIT}/subscription", json=hook, headers=AUTH)
        assert answer.status_code == 503 and "NOTIFY_SECRETS_KEYS" in answer.json()["detail"]
    assert await _stored(database_url) == {}

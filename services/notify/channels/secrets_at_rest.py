"""Webhook secrets at rest: encrypted with Fernet under keys from the environment, rotatable.

A unit's webhook secret signs what notify sends it; whoever reads notify's store (a backup, a replica, a
support dump) must not be able to sign in its name. So the store holds `fernet:<token>`, never the secret.
`NOTIFY_SECRETS_KEYS` lists Fernet keys, newest first (`MultiFernet`): the newest encrypts, every key
decrypts. To rotate: put a new key first, keep the old ones after it, restart, run
`dondoc notify-secrets reencrypt` (every row under the newest key), then drop the old keys.
A row without the prefix is plain text from before encryption: it still works, and is encrypted at start-up
and by the same command.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlmodel import col, select

from dondoc.platform.runtime import Runtime
from dondoc.platform.uow import UnitOfWork
from services.notify.models import Subscription

PREFIX = "fernet:"
log = logging.getLogger(__name__)


class SecretsKeyMissing(Exception):
    """No key to encrypt with: notify was started without NOTIFY_SECRETS_KEYS."""


class SecretBox:
    """Seals and opens webhook secrets with the configured keys (none configured: it can only say so)."""

    def __init__(self, keys: str | None) -> None:
        names = [key.strip() for key in (keys or "").split(",") if key.strip()]
        self._fernet = MultiFernet([Fernet(key) for key in names]) if names else None

    @property
    def configured(self) -> bool:
        return self._fernet is not None

    def seal(self, secret: str) -> str:
        """The stored form of `secret`, encrypted under the newest key."""
        if self._fernet is None:
            raise SecretsKeyMissing("NOTIFY_SECRETS_KEYS is not set")
        return PREFIX + self._fernet.encrypt(secret.encode()).decode()

    def open(self, stored: str) -> str:
        """The secret itself; a plain row from before encryption is returned as it is."""
        if not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            raise SecretsKeyMissing("NOTIFY_SECRETS_KEYS is not set")
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretsKeyMissing("no key in NOTIFY_SECRETS_KEYS opens this secret") from None

    def reseal(self, stored: str) -> str:
        """`stored` under the newest key (plain rows encrypted, older keys' tokens re-encrypted)."""
        if self._fernet is None:
            raise SecretsKeyMissing("NOTIFY_SECRETS_KEYS is not set")
        if not stored.startswith(PREFIX):
            return self.seal(stored)
        return PREFIX + self._fernet.rotate(stored.removeprefix(PREFIX).encode()).decode()


async def reencrypt(uow: UnitOfWork, box: SecretBox, *, plain_only: bool = False) -> int:
    """Bring every stored secret under the newest key (or only the plain ones); how many rows changed."""
    query = select(Subscription).where(col(Subscription.webhook_secret).is_not(None))
    changed = 0
    for row in (await uow.session.exec(query)).all():
        stored = row.webhook_secret or ""
        if plain_only and stored.startswith(PREFIX):
            continue
        row.webhook_secret = box.reseal(stored)
        uow.session.add(row)
        changed += 1
    return changed


def encrypt_plain_at_start(box: SecretBox) -> Callable[[Runtime], Awaitable[None]]:
    """An on_start hook: secrets stored before encryption are encrypted as notify starts."""

    async def hook(runtime: Runtime) -> None:
        if not box.configured:
            log.warning("NOTIFY_SECRETS_KEYS is not set: units cannot store webhook secrets until it is")
            return
        async with runtime.uow() as uow:
            changed = await reencrypt(uow, box, plain_only=True)
            await uow.commit()
        if changed:
            log.info("encrypted %d webhook secrets stored in plain text", changed)

    return hook

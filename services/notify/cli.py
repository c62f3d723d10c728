"""`dondoc notify-secrets reencrypt` (every stored webhook secret under the newest key) and `generate-key`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from cryptography.fernet import Fernet

from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.uow import UnitOfWork
from services.notify.channels.secrets_at_rest import SecretBox, SecretsKeyMissing, reencrypt
from services.notify.models import PLATFORM
from services.notify.settings import NotifySettings


def register(subparsers: Any) -> None:
    family = subparsers.add_parser("notify-secrets", help="notify's webhook secrets at rest (Fernet keys)")
    commands = family.add_subparsers(dest="notify_secrets", required=True)
    again = commands.add_parser(
        "reencrypt",
        help="encrypt every stored webhook secret under the newest key of NOTIFY_SECRETS_KEYS "
        "(after putting a new key first; plain rows are encrypted too)",
    )
    again.set_defaults(func=cmd_reencrypt)
    key = commands.add_parser("generate-key", help="print a new Fernet key for NOTIFY_SECRETS_KEYS")
    key.set_defaults(func=lambda _args: print(Fernet.generate_key().decode()) or 0)


def cmd_reencrypt(_args: argparse.Namespace) -> int:
    settings = NotifySettings()
    box = SecretBox(settings.notify_secrets_keys)
    if not box.configured:
        print("NOTIFY_SECRETS_KEYS is not set: nothing to encrypt with")
        return 1

    async def run() -> int:
        from services.notify.app import MIGRATIONS

        await asyncio.to_thread(migrations.upgrade, MIGRATIONS, settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            async with UnitOfWork(session_factory(engine), PLATFORM, "notify") as uow:
                changed = await reencrypt(uow, box)
                await uow.commit()
            return changed
        finally:
            await engine.dispose()

    try:
        changed = asyncio.run(run())
    except SecretsKeyMissing as exc:
        print(f"a stored secret cannot be decrypted with NOTIFY_SECRETS_KEYS ({exc}); nothing was changed")
        return 1
    print(f"{changed} webhook secrets now encrypted under the newest key")
    return 0

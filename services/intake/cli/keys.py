"""`dondoc keys create|revoke|list` and `dondoc directory load`, against intake's DATABASE_URL.

Each command migrates the store first and writes through the UnitOfWork, so `credential.changed` and
`directory.published` wait in intake's outbox and leave when intake runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from dondoc.directory import Directory, DirectoryDataError, load_directory
from dondoc.platform import migrations
from dondoc.platform.db import create_engine, session_factory
from dondoc.platform.refusals import Refused
from dondoc.platform.uow import UnitOfWork
from services.intake import directory_store
from services.intake.models import PLATFORM
from services.intake.settings import IntakeSettings
from services.intake.use_cases import keys

T = TypeVar("T")
Factory = Callable[[], UnitOfWork]


@asynccontextmanager
async def _store(settings: IntakeSettings) -> AsyncIterator[Factory]:
    from services.intake.app import SPEC  # the web stack only when a store command runs

    await asyncio.to_thread(migrations.upgrade, SPEC.migrations, settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        yield lambda: UnitOfWork(sessions, PLATFORM, "intake")
    finally:
        await engine.dispose()


def _run(job: Callable[[Factory, IntakeSettings], Awaitable[T]]) -> T:
    settings = IntakeSettings()

    async def main() -> T:
        async with _store(settings) as factory:
            return await job(factory, settings)

    return asyncio.run(main())


async def _directory(factory: Factory, settings: IntakeSettings) -> Directory:
    async with factory() as uow:
        await directory_store.seed(uow, settings)
    async with factory() as uow:
        return await directory_store.current(uow, directory_store.DirectoryHolder())


def _create(args: argparse.Namespace) -> int:
    async def job(factory: Factory, settings: IntakeSettings) -> keys.NewKey:
        directory = await _directory(factory, settings)
        async with factory() as uow:
            new = await keys.create_key(uow, directory, args.unit, args.role, args.label)
            await uow.commit()
        return new

    try:
        new = _run(job)
    except Refused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"key_id: {new.key_id}", file=sys.stderr)
    print("Khóa chỉ hiển thị một lần; hãy lưu lại ngay:", file=sys.stderr)
    print(new.token)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    async def job(factory: Factory, _settings: IntakeSettings) -> dict[str, object]:
        async with factory() as uow:
            row = await keys.revoke_key(uow, args.key_id)
            await uow.commit()
        return row

    try:
        row = _run(job)
    except Refused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"Đã thu hồi khóa {row['key_id']} (đơn vị {row['unit'] or '-'}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    async def job(factory: Factory, _settings: IntakeSettings) -> list[dict[str, object]]:
        async with factory() as uow:
            return await keys.list_keys(uow, args.unit)

    for row in _run(job):
        state = "đã thu hồi" if row["revoked_at"] else "đang dùng"
        print(f"{row['key_id']}\t{row['unit'] or '-'}\t{row['role']}\t{state}\t{row['label'] or ''}")
    return 0


def _load(args: argparse.Namespace) -> int:
    try:
        directory = load_directory(args.folder)
    except DirectoryDataError as exc:
        print(f"Danh mục không hợp lệ: {exc}", file=sys.stderr)
        return 1

    async def job(factory: Factory, _settings: IntakeSettings) -> int:
        async with factory() as uow:
            summary = f"Nạp danh mục từ {args.folder}: {len(directory.units)} đơn vị"
            event = await directory_store.publish(uow, directory, action="load", summary=summary, by="cli")
            await uow.commit()
        return event.version

    version = _run(job)
    print(f"Đã nạp danh mục phiên bản {version}: {len(directory.units)} đơn vị.")
    return 0


def _register_keys(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("keys", help="quản lý khóa truy cập (API key) của đơn vị")
    commands = parser.add_subparsers(dest="keys_command", required=True)
    create = commands.add_parser("create", help="cấp khóa mới (in ra một lần)")
    create.add_argument("--unit", help="mã đơn vị, ví dụ 11407")
    create.add_argument("--role", choices=("unit", "admin"), default="unit")
    create.add_argument("--label")
    create.set_defaults(func=_create)
    revoke = commands.add_parser("revoke", help="thu hồi khóa")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=_revoke)
    listing = commands.add_parser("list", help="liệt kê khóa (không có bí mật)")
    listing.add_argument("--unit")
    listing.set_defaults(func=_list)


def _directory_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    # `dondoc directory` belongs to dondoc.directory.cli; intake adds the one command that needs its store.
    parser = subparsers.choices.get("directory")
    if parser is None:
        return None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `keys` and `directory load` to the `dondoc` command line."""
    _register_keys(subparsers)
    commands = _directory_commands(subparsers)
    if commands is None:
        commands = subparsers.add_parser("directory", help="danh mục đơn vị").add_subparsers(
            dest="directory_command", required=True
        )
    load = commands.add_parser("load", help="nạp danh mục từ thư mục CSV vào kho của intake (DATABASE_URL)")
    load.add_argument("folder")
    load.set_defaults(func=_load)

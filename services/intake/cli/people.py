"""`dondoc people add|reset|disable|enable|list`: the city administrator's people commands, on intake's store.

Run on the server by whoever holds the store, so they act as the city administrator (`cli` in the audit log).
A temporary password is printed once; the person must change it at first sign-in.
"""

from __future__ import annotations

import argparse
import sys

from dondoc.platform.audit import record_accepted
from dondoc.platform.auth import Principal
from dondoc.platform.writes import Refused
from services.intake.cli.keys import Factory, _directory, _run
from services.intake.settings import IntakeSettings
from services.intake.use_cases import inbox_keys, people

CLI = Principal(key_id="cli", unit=None, role="admin")


def _add(args: argparse.Namespace) -> int:
    async def job(factory: Factory, settings: IntakeSettings) -> people.NewPerson:
        directory = await _directory(factory, settings)
        async with factory() as uow:
            new = await people.create_person(
                uow, directory, CLI, args.username, args.name, args.unit, args.role
            )
            if new.person.unit:
                await inbox_keys.ensure(uow, settings, new.person.unit)
            await record_accepted(uow.session, uow.tables, CLI, "person.create", new.person.username, 201)
            await uow.commit()
        return new

    try:
        new = _run(job)
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    print(f"Đã tạo {new.person.username} ({people.ROLES[new.person.role]}).", file=sys.stderr)
    print("Mật khẩu tạm thời (chỉ hiện một lần; phải đổi khi đăng nhập lần đầu):", file=sys.stderr)
    print(new.password)
    return 0


def _change(args: argparse.Namespace) -> int:
    async def job(factory: Factory, _settings: IntakeSettings) -> people.NewPerson | None:
        async with factory() as uow:
            made = None
            if args.people_command == "reset":
                made = await people.reset_password(uow, CLI, args.username)
            else:
                await people.set_disabled(uow, CLI, args.username, args.people_command == "disable")
            action = f"person.{args.people_command}"
            await record_accepted(uow.session, uow.tables, CLI, action, args.username, 200)
            await uow.commit()
        return made

    try:
        made = _run(job)
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    if made is not None:
        print("Mật khẩu tạm thời mới (chỉ hiện một lần):", file=sys.stderr)
        print(made.password)
    else:
        print("Đã khóa tài khoản." if args.people_command == "disable" else "Đã mở khóa tài khoản.")
    return 0


def _list(args: argparse.Namespace) -> int:
    async def job(factory: Factory, _settings: IntakeSettings) -> list[tuple[str, str, str, str]]:
        async with factory() as uow:
            found = await people.people_of(uow, args.unit)
            return [
                (p.username, p.unit or "-", p.role, "đã khóa" if p.disabled_at else "đang dùng")
                for p in found
            ]

    for row in _run(job):
        print("\t".join(row))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("people", help="tài khoản cá nhân của người dùng không gian làm việc")
    commands = parser.add_subparsers(dest="people_command", required=True)
    add = commands.add_parser("add", help="tạo tài khoản (in mật khẩu tạm thời một lần)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="họ và tên")
    add.add_argument("--unit", help="mã đơn vị (bỏ trống với quản trị viên thành phố)")
    add.add_argument("--role", choices=sorted(people.ROLES), default="officer")
    add.set_defaults(func=_add)
    for name, text in (("reset", "đặt lại mật khẩu"), ("disable", "khóa"), ("enable", "mở khóa")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("username")
        sub.set_defaults(func=_change)
    listing = commands.add_parser("list", help="liệt kê người dùng")
    listing.add_argument("--unit")
    listing.set_defaults(func=_list)
